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
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { createApiClient } from "../../client/api-client";
import { type Session, rememberedLocalSession, signInLocally, signInWithToken } from "../auth/session";
import { Loading } from "./Loading";
import { ProblemMessage } from "./ProblemMessage";
import { useMessages } from "../i18n/language";
import { signInMessages } from "./sign-in-messages";

const useStyles = makeStyles({
  page: { display: "grid", placeItems: "center", minHeight: "100vh", padding: tokens.spacingHorizontalL },
  card: { width: "min(420px, 100%)", padding: tokens.spacingHorizontalXL },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

/** The public route that says how this server signs people in. */
const askSignIn = () => createApiClient({ baseUrl: "", getToken: async () => "" })("signIn", {});

/** Nothing of the web app shows before sign-in: with Microsoft 365 where configured, else the local issuer. */
export function SignInGate({ children }: { children: (session: Session) => ReactNode }) {
  const config = useQuery({ queryKey: ["sign-in"], queryFn: askSignIn, staleTime: Infinity });
  const entra = config.data?.entra ?? null;
  const entraSession = useQuery({
    queryKey: ["sign-in", "entra", entra?.clientId],
    enabled: entra !== null,
    staleTime: Infinity,
    retry: false,
    queryFn: async () => {
      // MSAL is a large chunk: loaded only by a server that signs in with Microsoft 365.
      const { entraSignIn } = await import(/* webpackChunkName: "msal-browser" */ "../auth/entra-sign-in");
      return entraSignIn(entra as NonNullable<typeof entra>);
    },
  });
  const t = useMessages(signInMessages);
  const [local, setLocal] = useState<Session | null>(() =>
    rememberedLocalSession(() => setLocal(null), t.signedInWithToken),
  );
  const styles = useStyles();

  if (config.isPending)
    return (
      <Centered>
        <Loading label={t.starting} />
      </Centered>
    );
  if (config.isError)
    return (
      <Centered>
        <ProblemMessage error={config.error} onRetry={() => void config.refetch()} what={t.cannotStart} />
      </Centered>
    );

  if (entra) {
    if (entraSession.isPending)
      return (
        <Centered>
          <Loading label={t.signingIn} />
        </Centered>
      );
    if (entraSession.isError)
      return (
        <Centered>
          <ProblemMessage
            error={entraSession.error}
            onRetry={() => void entraSession.refetch()}
            what={t.signInFailed}
          />
        </Centered>
      );
    const signIn = entraSession.data;
    if (signIn.account) {
      return children({
        getToken: signIn.getToken,
        who: signIn.account.name
          ? `${signIn.account.name} (${signIn.account.username})`
          : signIn.account.username,
        signOut: () => void signIn.signOut(),
      });
    }
    return (
      <div className={styles.page}>
        <Card className={styles.card}>
          <Text as="h1" size={600} weight="semibold">
            Rapport
          </Text>
          <Text>{t.entraIntro}</Text>
          <Button appearance="primary" onClick={() => void signIn.signIn()}>
            {t.signInWithMicrosoft}
          </Button>
        </Card>
      </div>
    );
  }
  if (local) return children(local);
  if (!config.data.localIssuer)
    return (
      <Centered>
        <MessageBar intent="error">
          <MessageBarBody>{t.noWayToSignIn}</MessageBarBody>
        </MessageBar>
      </Centered>
    );
  return <LocalSignIn onSignedIn={(session) => setLocal(session)} onSignOut={() => setLocal(null)} />;
}

function Centered({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <div className={styles.page}>{children}</div>;
}

/**
 * The local issuer (the embedded default, for one trusted machine): sign in as any address, as the preview does.
 * Served by the Rapport server itself there is nothing to mint a token, so one from `npm run token` is pasted.
 */
function LocalSignIn({ onSignedIn, onSignOut }: { onSignedIn(session: Session): void; onSignOut(): void }) {
  const styles = useStyles();
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
        onSignedIn(signInWithToken(token.trim(), onSignOut, t.signedInWithToken));
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
    <main className={styles.page}>
      <Card className={styles.card}>
        <form className={styles.form} onSubmit={(e) => void signIn(e)} aria-label={t.signIn}>
          <Text as="h1" size={600} weight="semibold">
            {t.signInTitle}
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
                <Input
                  type="email"
                  value={email}
                  onChange={(_, d) => setEmail(d.value)}
                  autoComplete="email"
                />
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
    </main>
  );
}
