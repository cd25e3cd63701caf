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
import { OrganizationSettings } from "./OrganizationSettings";
import { PersonDataSettings } from "./PersonDataSettings";
import { PipelinesSettings } from "./PipelinesSettings";
import { TagsSettings } from "./TagsSettings";
import { UsersSettings } from "./UsersSettings";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  title: { margin: 0 },
});

/** The organisation's settings: admins change them; members see them as they are, and who can change them. */
export default function SettingsPage() {
  const styles = useStyles();
  const me = useMe();
  const users = useUsers();
  if (me.isPending) return <Loading label="Loading the settings…" />;
  if (me.isError)
    return (
      <ProblemMessage
        error={me.error}
        onRetry={() => void me.refetch()}
        what="The settings could not be loaded"
      />
    );
  const admin = me.data.user.role === "admin";
  const admins = (users.data?.items ?? [])
    .filter((u) => u.role === "admin")
    .map((u) => u.displayName ?? u.email);
  return (
    <div className={styles.page}>
      <Text as="h1" size={700} weight="semibold" className={styles.title}>
        Settings
      </Text>
      {!admin && (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Read only</MessageBarTitle>
            Only admins change the organisation's settings; you see them as they are.
            {admins.length > 0 && ` Ask ${admins.join(", ")} to change something.`}
          </MessageBarBody>
        </MessageBar>
      )}
      <PipelinesSettings admin={admin} />
      <CustomFieldsSettings admin={admin} />
      <TagsSettings admin={admin} />
      <OrganizationSettings admin={admin} />
      <CurrencySettings admin={admin} />
      <LoggingSettings admin={admin} />
      <UsersSettings admin={admin} />
      {/* Requests from a person about their data go to the organisation's admins. */}
      {admin && <PersonDataSettings />}
    </div>
  );
}
