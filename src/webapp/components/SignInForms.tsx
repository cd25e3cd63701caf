import {
  Button,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { type FormEvent, useState } from "react";
import { type Session, signInLocally, signInWithToken } from "../auth/session";
import { useMessages } from "../i18n/language";
import { ProblemMessage } from "./ProblemMessage";
import { signInMessages } from "./sign-in-messages";
import { accountMessages } from "./account-messages";

const useStyles = makeStyles({
  page: { display: "grid", placeItems: "center", minHeight: "100vh", padding: tokens.spacingHorizontalL },
  card: { width: "min(420px, 100%)", padding: tokens.spacingHorizontalXL },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

/** Microsoft 365 sign-in's page: one button, which goes to Microsoft's. */
export function EntraSignInPage({ onSignIn }: { onSignIn(): void }) {
  const styles = useStyles();
  const t = useMessages(signInMessages);
  return (
    <div className={styles.page}>
      <Card className={styles.card}>
        <Text as="h1" size={600} weight="semibold">
          Rapport
        </Text>
        <Text>{t.entraIntro}</Text>
        <Button appearance="primary" onClick={onSignIn}>
          {t.signInWithMicrosoft}
        </Button>
      </Card>
    </div>
  );
}

/**
 * The local issuer (the embedded default, for one trusted machine): sign in as any address, as the preview does.
 * Served by the Rapport server itself there is nothing to mint a token, so one from `npm run token` is pasted.
 */
export function LocalSignIn(props: { onSignedIn(session: Session): void; onSignOut(): void }) {
  const styles = useStyles();
  return (
    <main className={styles.page}>
      <LocalSignInCard {...props} />
    </main>
  );
}

/** The local issuer's form on its own card: alone, or `beneath` Rapport's own sign-in, titled as what it is. */
export function LocalSignInCard({
  onSignedIn,
  onSignOut,
  beneath = false,
}: {
  onSignedIn(session: Session): void;
  onSignOut(): void;
  beneath?: boolean;
}) {
  const styles = useStyles();
  const title = useMessages(accountMessages).localIssuerTitle;
  const t = useMessages(signInMessages);
  const [email, setEmail] = useState("rita@contoso.example");
  const [name, setName] = useState("");
  const [token, setToken] = useState("");
  const [needsToken, setNeedsToken] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      if (needsToken) {
        onSignedIn(signInWithToken(token.trim(), onSignOut));
        return;
      }
      const result = await signInLocally(
        { email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}) },
        onSignOut,
      );
      if (result === "no-token-endpoint") setNeedsToken(true);
      else onSignedIn(result);
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(false);
    }
  };

  return (
    <Card className={styles.card}>
      <form className={styles.form} onSubmit={(e) => void signIn(e)} aria-label={t.signIn}>
        <Text as={beneath ? "h2" : "h1"} size={beneath ? 500 : 600} weight="semibold">
          {beneath ? title : t.signInTitle}
        </Text>
        {needsToken ? (
          <>
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>{t.pasteToken}</MessageBarBody>
            </MessageBar>
            <Field label={t.token} required>
              <Textarea value={token} onChange={(_, d) => setToken(d.value)} resize="vertical" />
            </Field>
          </>
        ) : (
          <>
            <Text>{t.localIssuerIntro}</Text>
            <Field label={t.emailAddress} required>
              <Input type="email" value={email} onChange={(_, d) => setEmail(d.value)} autoComplete="email" />
            </Field>
            <Field label={t.name} hint={t.nameHint}>
              <Input value={name} onChange={(_, d) => setName(d.value)} autoComplete="name" />
            </Field>
          </>
        )}
        {error !== null && <ProblemMessage error={error} what={t.signInFailed} />}
        <Button
          type="submit"
          appearance="primary"
          disabled={pending || (needsToken ? !token.trim() : !email.trim())}
        >
          {pending ? t.signingIn : t.signIn}
        </Button>
      </form>
    </Card>
  );
}
