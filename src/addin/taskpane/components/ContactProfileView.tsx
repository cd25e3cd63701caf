import { Badge, Body1, Caption1, Link, Persona, makeStyles, tokens } from "@fluentui/react-components";
import type { ContactProfile } from "../../../shared/people";
import { useI18n } from "../i18n/i18n";
import { useServices } from "../services";
import { CustomFieldsSlot as CustomFields } from "./CustomFieldsSlot";
import {
  CompanyAccountControl,
  CompanyHistoryControl,
  RelationshipGlanceControl,
  ContactRatingsControl,
  DealStageControl,
  QuickActionsControl,
} from "./deferred-parts";
import { OpenTasks } from "./OpenTasks";
import { Section, useRowStyles } from "./Section";
import { Timeline } from "./Timeline";

const useStyles = makeStyles({
  muted: { color: tokens.colorNeutralForeground3 },
  phones: {
    display: "flex",
    flexWrap: "wrap",
    columnGap: tokens.spacingHorizontalM,
    marginTop: tokens.spacingVerticalXS,
  },
  tags: {
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalXS,
    marginTop: tokens.spacingVerticalS,
  },
});

export function ContactProfileView({
  profile,
  compose = false,
  recipients = 1,
}: {
  profile: ContactProfile;
  /** The open item is a draft: a survey link goes into it rather than to the clipboard. */
  compose?: boolean;
  /** How many people the open item is with (a draft's recipients). */
  recipients?: number;
}) {
  const styles = useStyles();
  const rows = useRowStyles();
  const { t, formatAmount } = useI18n();
  const { mailbox } = useServices();
  const role =
    profile.title && profile.company
      ? t("atCompany", { title: profile.title, company: profile.company.name })
      : (profile.title ?? profile.company?.name ?? profile.emails[0] ?? "");
  return (
    <div>
      <Persona size="large" name={profile.displayName} secondaryText={role} />
      {profile.phones.length > 0 && (
        <div className={styles.phones}>
          {profile.phones.map((phone) => (
            <Link key={phone} href={`tel:${phone.replace(/[^\d+]/g, "")}`}>
              {phone}
            </Link>
          ))}
        </div>
      )}
      <div className={styles.tags}>
        <Badge appearance="tint">{t(`lifecycle_${profile.lifecycleStage}`)}</Badge>
        {profile.tags.map((tag) => (
          <Badge key={tag} appearance="outline">
            {tag}
          </Badge>
        ))}
      </div>
      {profile.owner && (
        <Caption1 className={styles.muted} block>
          {profile.owner.email && profile.owner.email === mailbox.userAddress()
            ? t("ownerYou")
            : t("ownerIs", { name: profile.owner.displayName ?? profile.owner.email ?? "" })}
        </Caption1>
      )}
      <CustomFields entity="contact" record={profile} title={t("details")} />
      {profile.company && (
        <CustomFields
          key={profile.company.id}
          entity="company"
          record={profile.company}
          title={profile.company.name}
        />
      )}
      {profile.company && (
        <CompanyAccountControl.Component key={`account-${profile.company.id}`} company={profile.company} />
      )}
      <RelationshipGlanceControl.Component key={`glance-${profile.id}`} contactId={profile.id} />
      <ContactRatingsControl.Component
        key={`ratings-${profile.id}`}
        contactId={profile.id}
        compose={compose}
        recipients={recipients}
      />

      <Section title={t("openDeals")} empty={t("noOpenDeals")}>
        {profile.openDeals.map((deal) => (
          <li key={deal.id}>
            <div className={rows.row}>
              <span>
                <Body1 block>{deal.name}</Body1>
                {deal.amount !== null && (
                  <Caption1 className={styles.muted}>{formatAmount(deal.amount, deal.currency)}</Caption1>
                )}
              </span>
              <DealStageControl.Component deal={deal} />
            </div>
            <CustomFields entity="deal" record={deal} label={t("detailsOf", { name: deal.name })} />
          </li>
        ))}
      </Section>

      <OpenTasks tasks={profile.openTasks} />
      <QuickActionsControl.Component profile={profile} />
      <Timeline profile={profile} />
      {profile.company && (
        <CompanyHistoryControl.Component
          key={`company-history-${profile.company.id}`}
          company={profile.company}
        />
      )}
    </div>
  );
}
