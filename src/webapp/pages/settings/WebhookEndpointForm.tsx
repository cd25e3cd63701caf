import { Checkbox, Field, Input, Switch, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useId } from "react";
import { WEBHOOK_EVENTS, type WebhookEventType } from "../../../shared/webhooks";
import { useMessages } from "../../i18n/language";
import { webhooksMessages } from "./webhooks-messages";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  events: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fill, minmax(18rem, 1fr))",
    columnGap: tokens.spacingHorizontalM,
  },
  legend: { gridColumn: "1 / -1" },
  code: { color: tokens.colorNeutralForeground3, fontFamily: tokens.fontFamilyMonospace },
});

export interface EndpointDraft {
  url: string;
  events: WebhookEventType[];
  active: boolean;
}

/** An endpoint's URL, the events it takes (each named in words, with the type the receiver reads) and its switch. */
export function WebhookEndpointForm({
  draft,
  onChange,
}: {
  draft: EndpointDraft;
  onChange(next: EndpointDraft): void;
}) {
  const styles = useStyles();
  const t = useMessages(webhooksMessages);
  const eventsLabel = useId();
  const toggle = (event: WebhookEventType, on: boolean) =>
    onChange({
      ...draft,
      events: on ? [...draft.events, event] : draft.events.filter((e) => e !== event),
    });
  return (
    <div className={styles.form}>
      <Field label={t.url} required>
        <Input
          type="url"
          autoComplete="off"
          value={draft.url}
          onChange={(_, d) => onChange({ ...draft, url: d.value })}
        />
      </Field>
      {/* A group, not a Field: a Field lends its one control id to every checkbox inside it. */}
      <div className={styles.events} role="group" aria-labelledby={eventsLabel}>
        <Text id={eventsLabel} weight="semibold" className={styles.legend}>
          {t.events}
        </Text>
        {WEBHOOK_EVENTS.map((event) => (
          <Checkbox
            key={event}
            checked={draft.events.includes(event)}
            onChange={(_, d) => toggle(event, d.checked === true)}
            label={
              <>
                {t[event]} <Text className={styles.code}>{event}</Text>
              </>
            }
          />
        ))}
      </div>
      <Switch
        checked={draft.active}
        onChange={(_, d) => onChange({ ...draft, active: d.checked })}
        label={draft.active ? t.active : t.inactive}
      />
    </div>
  );
}
