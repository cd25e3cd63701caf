import { Body1, Caption1, Persona, Spinner, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { useLookup } from "../../hooks/useLookup";
import { useI18n } from "../../i18n/i18n";
import { useServices } from "../../services";
import { ContactProfileView } from "../ContactProfileView";
import { CustomFieldsSlot as CustomFields } from "../CustomFieldsSlot";
import { DealStage } from "../DealStage";
import { ErrorMessage } from "../ErrorMessage";

const useStyles = makeStyles({
  deal: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    marginTop: tokens.spacingVerticalS,
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

/**
 * A contact named in Today, as the pane shows anyone on an email: its profile (deals, tasks, quick actions,
 * history), read by its primary address the way an email's people are.
 */
export function OpenedContact({ id }: { id: string }) {
  const { t } = useI18n();
  const { api } = useServices();
  const contact = useQuery({
    queryKey: ["contact", id],
    queryFn: () => api("getContact", { params: { id } }),
  });
  const email = contact.data?.emails[0];
  const lookup = useLookup(email ? [email] : []);
  if (contact.isPending) return <Spinner size="small" label={t("lookingUp")} />;
  if (contact.isError) return <ErrorMessage error={contact.error} onRetry={() => void contact.refetch()} />;
  // Without an address there is no profile to look up: the contact and its own fields are all there is.
  if (!email)
    return (
      <>
        <Persona size="large" name={contact.data.displayName} secondaryText={contact.data.title ?? ""} />
        <CustomFields entity="contact" record={contact.data} title={t("details")} />
      </>
    );
  if (lookup.isPending) return <Spinner size="small" label={t("lookingUp")} />;
  if (lookup.isError) return <ErrorMessage error={lookup.error} onRetry={() => void lookup.refetch()} />;
  const profile = lookup.data.results[0]?.contact;
  if (!profile) return <Body1>{t("notInRapport")}</Body1>;
  return <ContactProfileView key={profile.id} profile={profile} />;
}

/** A deal named in Today: its amount, expected close, stage (to move it) and custom fields. */
export function OpenedDeal({ id }: { id: string }) {
  const styles = useStyles();
  const { t, formatAmount, formatDay } = useI18n();
  const { api } = useServices();
  const deal = useQuery({ queryKey: ["deal", id], queryFn: () => api("getDeal", { params: { id } }) });
  if (deal.isPending) return <Spinner size="small" label={t("lookingUp")} />;
  if (deal.isError) return <ErrorMessage error={deal.error} onRetry={() => void deal.refetch()} />;
  const { data } = deal;
  return (
    <div className={styles.deal}>
      <Subtitle2 as="h2">{data.name}</Subtitle2>
      {data.amount !== null && <Body1>{formatAmount(data.amount, data.currency)}</Body1>}
      {data.expectedCloseDate && (
        <Caption1 className={styles.muted}>
          {t("expectedClose", { date: formatDay(data.expectedCloseDate) })}
        </Caption1>
      )}
      <DealStage deal={data} />
      <CustomFields key={data.id} entity="deal" record={data} title={t("details")} />
    </div>
  );
}
