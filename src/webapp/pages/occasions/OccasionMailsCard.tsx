import { Badge, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import type { OccasionMail, OccasionMailState } from "../../../shared/occasions";
import { translate } from "../../../shared/languages";
import { EmptyState } from "../../components/EmptyState";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { Section } from "../../components/Section";
import { formatNumber } from "../../format";
import { useMessages } from "../../i18n/language";
import { AppLink } from "../../router";
import { useWebApp } from "../../services";
import { CONTACTS_PATH } from "../paths";
import { type OccasionWord, occasionMessages } from "./occasion-messages";

const useStyles = makeStyles({
  list: {
    listStyleType: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
  },
  item: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  row: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  meta: { color: tokens.colorNeutralForeground3 },
  summary: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
});

const STATES: Record<OccasionMailState, OccasionWord> = {
  prepared: "statePrepared",
  sending: "stateSending",
  drafted: "stateDrafted",
  sent: "stateSent",
  held: "stateHeld",
  skipped: "stateSkipped",
};
const COLORS: Record<OccasionMailState, "informative" | "success" | "warning" | "subtle"> = {
  prepared: "informative",
  sending: "informative",
  drafted: "success",
  sent: "success",
  held: "warning",
  skipped: "subtle",
};
const ready = (m: OccasionMail) => m.state === "drafted" || m.state === "sent";

/** What this morning prepared: "3 birthday mails ready", and each mail with where it stands. */
export function OccasionMailsCard() {
  const styles = useStyles();
  const { api } = useWebApp();
  const t = useMessages(occasionMessages);
  const mails = useQuery({
    queryKey: ["occasion-mails"],
    queryFn: () => api("listOccasionMails", { query: {} }),
  });
  const items = mails.data?.items ?? [];
  const birthdays = items.filter((m) => m.kind === "birthday" && ready(m)).length;
  const deals = items.filter((m) => m.kind === "won_deal" && ready(m)).length;
  const held = items.filter((m) => m.state === "held").length;
  return (
    <Section title={translate(t.cardTitle, { count: formatNumber(items.length) })}>
      {mails.isPending && <Loading label={t.loading} />}
      {mails.isError && (
        <ProblemMessage error={mails.error} onRetry={() => void mails.refetch()} what={t.notLoaded} />
      )}
      {mails.data &&
        (items.length === 0 ? (
          <EmptyState>{t.none}</EmptyState>
        ) : (
          <>
            <div className={styles.summary}>
              {birthdays > 0 && (
                <Text weight="semibold">
                  {translate(t.birthdaysReady, { count: formatNumber(birthdays) })}
                </Text>
              )}
              {deals > 0 && (
                <Text weight="semibold">{translate(t.dealsReady, { count: formatNumber(deals) })}</Text>
              )}
              {held > 0 && <Text>{translate(t.heldCount, { count: formatNumber(held) })}</Text>}
            </div>
            <ul className={styles.list} aria-label={t.listLabel}>
              {items.map((mail) => (
                <li key={mail.id} className={styles.item}>
                  <div className={styles.row}>
                    <AppLink to={`${CONTACTS_PATH}/${mail.contactId}`}>{mail.contactName}</AppLink>
                    <Text className={styles.meta}>
                      {mail.kind === "birthday" ? t.kindBirthday : t.kindWonDeal}
                    </Text>
                    <Badge appearance="tint" color={COLORS[mail.state]}>
                      {t[STATES[mail.state]]}
                    </Badge>
                  </div>
                  {mail.unfilled.length > 0 && (
                    <Text className={styles.meta}>
                      {translate(t.emptyFields, { fields: mail.unfilled.join(", ") })}
                    </Text>
                  )}
                  {mail.reason && <Text className={styles.meta}>{reasonText(t, mail.reason)}</Text>}
                </li>
              ))}
            </ul>
          </>
        ))}
    </Section>
  );
}

function reasonText(t: Record<OccasionWord, string>, reason: string): string {
  const key = `reason_${reason}`;
  return key in t ? t[key as OccasionWord] : reason;
}
