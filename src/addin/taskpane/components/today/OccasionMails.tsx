import { Caption1, Link, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import type { OccasionMail } from "../../../../shared/occasions";
import { useI18n } from "../../i18n/i18n";
import { useServices } from "../../services";
import { ErrorMessage } from "../ErrorMessage";
import { Section, useRowStyles } from "../Section";
import type { Opened } from "./Today";

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground3, flexShrink: 0 },
  grow: { minWidth: 0, overflowWrap: "anywhere" },
});

const ready = (m: OccasionMail) => m.state === "drafted" || m.state === "sent";

/** This morning's occasion mails: "3 birthday mails ready", each contact opening in the pane. */
export function OccasionMails({ onOpen }: { onOpen(opened: Opened): void }) {
  const styles = useStyles();
  const rows = useRowStyles();
  const { t } = useI18n();
  const { api } = useServices();
  const mails = useQuery({
    queryKey: ["occasion-mails"],
    queryFn: () => api("listOccasionMails", { query: {} }),
  });
  if (mails.isPending) return null;
  if (mails.isError) return <ErrorMessage error={mails.error} onRetry={() => void mails.refetch()} />;
  const items = mails.data.items;
  const birthdays = items.filter((m) => m.kind === "birthday" && ready(m)).length;
  const deals = items.filter((m) => m.kind === "won_deal" && ready(m)).length;
  const stateOf = (m: OccasionMail) =>
    m.state === "drafted"
      ? t("occasionDrafted")
      : m.state === "sent"
        ? t("occasionSent")
        : m.state === "held"
          ? t("occasionHeld", { fields: m.unfilled.join(", ") })
          : m.state === "skipped"
            ? t("occasionSkipped")
            : t("occasionPending");
  return (
    <Section
      title={t("occasionMails", { count: String(items.length) })}
      empty={t("noOccasionMails")}
      footer={
        <>
          {birthdays > 0 && <Caption1>{t("birthdayMailsReady", { count: String(birthdays) })}</Caption1>}
          {deals > 0 && <Caption1>{t("wonDealMailsReady", { count: String(deals) })}</Caption1>}
        </>
      }
    >
      {items.map((m) => (
        <li key={m.id} className={rows.row}>
          <Link className={styles.grow} onClick={() => onOpen({ kind: "contact", id: m.contactId })}>
            {m.contactName}
          </Link>
          <Caption1 className={styles.muted}>{stateOf(m)}</Caption1>
        </li>
      ))}
    </Section>
  );
}
