import { MessageBar, MessageBarBody, Text, makeStyles, tokens } from "@fluentui/react-components";
import { Loading } from "../../components/Loading";
import { ProblemMessage } from "../../components/ProblemMessage";
import { useMe } from "../../hooks";
import { useMessages } from "../../i18n/language";
import { type CreatePasskey, createPasskeyInBrowser } from "../../auth/passkey-ceremony";
import { accountMessages } from "./account-messages";
import { PasskeysSection } from "./PasskeysSection";
import { PasswordSection } from "./PasswordSection";
import { SessionsSection } from "./SessionsSection";
import { TimeZoneSection } from "./TimeZoneSection";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, maxWidth: "60rem" },
  title: { margin: 0 },
});

/**
 * The signed-in user's own settings: their time zone, and a Rapport account's password, passkeys and sessions. Someone signed in with Microsoft 365
 * has none of these here, and is told where they are.
 */
export function AccountSettings({ createPasskey }: { createPasskey: CreatePasskey }) {
  const styles = useStyles();
  const me = useMe();
  const t = useMessages(accountMessages);
  return (
    <div className={styles.page}>
      <Text as="h1" size={700} weight="semibold" className={styles.title}>
        {t.title}
      </Text>
      {me.isPending && <Loading label={t.loadingAccount} />}
      {me.isError && (
        <ProblemMessage error={me.error} onRetry={() => void me.refetch()} what={t.accountNotLoaded} />
      )}
      {me.data && <TimeZoneSection />}
      {me.data &&
        (me.data.user.signedInWith === "account" ? (
          <>
            <PasswordSection />
            <PasskeysSection createPasskey={createPasskey} />
            <SessionsSection />
          </>
        ) : (
          <MessageBar intent="info" layout="multiline">
            <MessageBarBody>{t.microsoft365}</MessageBarBody>
          </MessageBar>
        ))}
    </div>
  );
}

export default function AccountPage() {
  return <AccountSettings createPasskey={createPasskeyInBrowser} />;
}
