import { Badge, Caption1, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import type { Company } from "../../../shared/companies";
import type { GlanceInteraction, Interaction, RelationshipGlance } from "../../../shared/interactions";
import { type I18n, gapText, pluralOf } from "../../core/i18n";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { ErrorMessage } from "./ErrorMessage";

/** The company's history the pane shows under the person's: its latest few, the web app has the rest. */
const COMPANY_HISTORY = 5;

const useStyles = makeStyles({
  section: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    marginTop: tokens.spacingVerticalL,
  },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" },
  item: { overflowWrap: "anywhere" },
});

function howOf(t: I18n["t"], interaction: Pick<Interaction, "kind" | "direction">): string {
  if (interaction.kind === "email" && interaction.direction)
    return t(interaction.direction === "in" ? "emailIn" : "emailOut");
  return t(`kind_${interaction.kind}`);
}

const daysText = (i18n: I18n, days: number) =>
  i18n.t(`days_${pluralOf(i18n.locale, days)}`, { count: i18n.formatNumber(days) });

const interactionsText = (i18n: I18n, count: number) =>
  i18n.t(`interactions_${pluralOf(i18n.locale, count)}`, { count: i18n.formatNumber(count) });

function lineOf(i18n: I18n, interaction: GlanceInteraction | null): string {
  if (!interaction) return i18n.t("glanceNone");
  const who = [interaction.contact?.displayName, interaction.user?.displayName].filter(Boolean).join(", ");
  return i18n.t("glanceLine", {
    when: i18n.formatDateTime(interaction.at),
    how: howOf(i18n.t, interaction),
    who: who || "–",
  });
}

/** The rhythm in words: cooling (a warning), in rhythm, or too little to tell. */
function Rhythm({ glance }: { glance: RelationshipGlance }) {
  const i18n = useI18n();
  const styles = useStyles();
  const { rhythm } = glance;
  const gap = rhythm.medianGapDays === null ? "" : gapText(i18n, Math.round(rhythm.medianGapDays));
  if (rhythm.state === "cooling")
    return (
      <Badge appearance="tint" color="warning" shape="rounded">
        {i18n.t("glanceCooling", { since: daysText(i18n, rhythm.daysSinceLast ?? 0), gap })}
      </Badge>
    );
  if (rhythm.state === "steady")
    return (
      <Badge appearance="tint" color="success" shape="rounded">
        {i18n.t("glanceSteady", { gap })}
      </Badge>
    );
  return <Caption1 className={styles.muted}>{i18n.t("glanceTooLittle")}</Caption1>;
}

/** The person's relationship at a glance: last contact, last reply, recent counts and whether it is cooling. */
export function RelationshipGlanceView({ contactId }: { contactId: string }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const glance = useQuery({
    queryKey: ["contact-glance", contactId],
    queryFn: () => api("contactGlance", { params: { id: contactId } }),
  });
  return (
    <section className={styles.section} aria-label={t("glanceTitle")}>
      <Subtitle2 as="h2">{t("glanceTitle")}</Subtitle2>
      {glance.isPending && <Caption1 className={styles.muted}>{t("glanceLoading")}</Caption1>}
      {glance.isError && <ErrorMessage error={glance.error} onRetry={() => void glance.refetch()} />}
      {glance.data && (
        <>
          <Caption1 block>{t("glanceLastContact", { line: lineOf(i18n, glance.data.lastContact) })}</Caption1>
          <Caption1 block>{t("glanceLastReply", { line: lineOf(i18n, glance.data.lastReply) })}</Caption1>
          <Caption1 block>
            {t("glanceCounts", {
              month: interactionsText(i18n, glance.data.last30Days),
              quarter: interactionsText(i18n, glance.data.last90Days),
            })}
          </Caption1>
          <Rhythm glance={glance.data} />
        </>
      )}
    </section>
  );
}

/** The company's latest interactions (its people's and those linked to it), under the person's history. */
export function CompanyHistory({ company }: { company: Company }) {
  const styles = useStyles();
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const history = useQuery({
    queryKey: ["company-history", company.id],
    queryFn: () => api("companyTimeline", { params: { id: company.id }, query: { limit: COMPANY_HISTORY } }),
  });
  const title = t("companyHistoryTitle", { company: company.name });
  return (
    <section className={styles.section} aria-label={title}>
      <Subtitle2 as="h2">{title}</Subtitle2>
      {history.isPending && <Caption1 className={styles.muted}>{t("companyHistoryLoading")}</Caption1>}
      {history.isError && <ErrorMessage error={history.error} onRetry={() => void history.refetch()} />}
      {history.data && history.data.items.length === 0 && (
        <Caption1 className={styles.muted}>{t("companyHistoryNone")}</Caption1>
      )}
      {history.data && history.data.items.length > 0 && (
        <ul className={styles.list}>
          {history.data.items.map((item) => (
            <li key={item.id} className={styles.item}>
              <Caption1 block>
                {[
                  i18n.formatDate(item.occurredAt),
                  howOf(t, item),
                  item.participants
                    .filter((p) => p.contactId)
                    .map((p) => p.name ?? p.address)
                    .join(", "),
                  item.subject,
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </Caption1>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
