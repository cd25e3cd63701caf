import { Button, Field, Option, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useMemo, useState } from "react";
import type { MySettingsUpdate } from "../../../shared/mailboxes";
import { translate } from "../../../shared/languages";
import { Combobox } from "../../components/choice-inputs";
import { Section } from "../../components/Section";
import { useMe } from "../../hooks";
import { useMessages } from "../../i18n/language";
import { useWebApp } from "../../services";
import { ChangeStatus, useChange } from "../settings/change";
import { accountMessages } from "./account-messages";

const useStyles = makeStyles({
  column: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    alignItems: "flex-start",
  },
});

/** Every IANA zone this browser knows; the server checks the one chosen against its own list. */
function knownZones(): readonly string[] {
  return typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
}

/**
 * The rep's own time zone, on every device: their follow-ups' working days and their occasion mails' mornings
 * are counted in it. The browser's zone is offered, never saved unasked (a laptop abroad is not a move).
 */
export function TimeZoneSection() {
  const styles = useStyles();
  const { api, timeZone: browserZone } = useWebApp();
  const me = useMe();
  const t = useMessages(accountMessages);
  const change = useChange((body: MySettingsUpdate) => api("updateMySettings", { body }), [["me"]]);
  const zones = useMemo(knownZones, []);
  const [typed, setTyped] = useState<string | null>(null);
  if (!me.data) return null;
  const saved = me.data.settings.timeZone;
  const query = typed?.trim().toLowerCase() ?? "";
  const matching = query ? zones.filter((zone) => zone.toLowerCase().includes(query)) : zones;
  const save = (timeZone: string) => change.mutate({ timeZone }, { onSettled: () => setTyped(null) });
  return (
    <Section title={t.timeZoneSection}>
      <div className={styles.column}>
        <Field label={t.timeZone} hint={saved ? t.timeZoneHint : `${t.timeZoneNone} ${t.timeZoneHint}`}>
          <Combobox
            value={typed ?? saved ?? ""}
            selectedOptions={saved ? [saved] : []}
            disabled={change.isPending}
            onChange={(e) => setTyped(e.target.value)}
            onOptionSelect={(_, d) => d.optionValue && d.optionValue !== saved && save(d.optionValue)}
            onOpenChange={(_, d) => !d.open && setTyped(null)}
          >
            {matching.map((zone) => (
              <Option key={zone} value={zone}>
                {zone}
              </Option>
            ))}
          </Combobox>
        </Field>
        {typed !== null && matching.length === 0 && <Text>{t.noTimeZoneMatch}</Text>}
        {browserZone !== saved && zones.includes(browserZone) && (
          <Button disabled={change.isPending} onClick={() => save(browserZone)}>
            {translate(t.useBrowserZone, { zone: browserZone })}
          </Button>
        )}
        <ChangeStatus change={change} what={t.timeZoneNotSaved} />
      </div>
    </Section>
  );
}
