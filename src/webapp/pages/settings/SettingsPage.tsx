import {
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useMe, useUsers } from "../../hooks";
import { CurrencySettings } from "./CurrencySettings";
import { CustomFieldsSettings } from "./CustomFieldsSettings";
import { LoggingSettings } from "./LoggingSettings";
import { MailboxesSettings } from "./MailboxesSettings";
import { OrganizationSettings } from "./OrganizationSettings";
import { PersonDataSettings } from "./PersonDataSettings";
import { PipelinesSettings } from "./PipelinesSettings";
import { TagsSettings } from "./TagsSettings";
import { UsersSettings } from "./UsersSettings";
import { InvitationsSettings } from "./InvitationsSettings";
import { SignInPolicySettings } from "./SignInPolicySettings";
import { WebhooksSettings } from "./WebhooksSettings";
import { WebFormsSettings } from "../web-forms/WebFormsSettings";
import { OccasionRulesSettings } from "../occasions/OccasionRulesSettings";
import { ProductsSettings } from "../products/ProductsSettings";
import { QuoteTemplateSettings } from "../quotes/QuoteTemplateSettings";
import { translate } from "../../../shared/languages";
import { displayLocale } from "../../format";
import { useMessages } from "../../i18n/language";
import { settingsMessages } from "./settings-messages";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  title: { margin: 0 },
});

/** "Bo", "Bo or Rita", as the language lists people any one of whom will do. */
const anyOf = (names: string[]) =>
  new Intl.ListFormat(displayLocale(), { type: "disjunction" }).format(names);

/** The organisation's settings: admins change them; members see them as they are, and who can change them. */
export default function SettingsPage() {
  const styles = useStyles();
  const me = useMe();
  const users = useUsers();
  const t = useMessages(settingsMessages);
  if (me.isPending) return <Loading label={t.loadingSettings} />;
  if (me.isError)
    return <ProblemMessage error={me.error} onRetry={() => void me.refetch()} what={t.settingsNotLoaded} />;
  const admin = me.data.user.role === "admin";
  const admins = (users.data?.items ?? [])
    .filter((u) => u.role === "admin")
    .map((u) => u.displayName ?? u.email)
    .filter((name): name is string => name !== null);
  return (
    <div className={styles.page}>
      <Text as="h1" size={700} weight="semibold" className={styles.title}>
        {t.title}
      </Text>
      {!admin && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t.readOnly}</MessageBarTitle>
            {t.readOnlyText}
            {admins.length > 0 && ` ${translate(t.askAdmins, { admins: anyOf(admins) })}`}
          </MessageBarBody>
        </MessageBar>
      )}
      <PipelinesSettings admin={admin} />
      <CustomFieldsSettings admin={admin} />
      <TagsSettings admin={admin} />
      <OrganizationSettings admin={admin} />
      <CurrencySettings admin={admin} />
      <ProductsSettings admin={admin} />
      <QuoteTemplateSettings admin={admin} />
      <LoggingSettings admin={admin} />
      <MailboxesSettings />
      <OccasionRulesSettings admin={admin} />
      <UsersSettings admin={admin} selfId={me.data.user.id} />
      {admin && <InvitationsSettings />}
      <SignInPolicySettings admin={admin} />
      {/* A form's settings (its owners, where it may be embedded) are the admins'; every member reads the leads. */}
      {admin && <WebFormsSettings />}
      {/* Endpoints and their secrets are the admins' alone: members are not told where the data goes. */}
      {admin && <WebhooksSettings />}
      {/* Requests from a person about their data go to the organisation's admins. */}
      {admin && <PersonDataSettings />}
    </div>
  );
}
