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
  const [local, setLocal] = useState<Session | null>(() => rememberedLocalSession(() => setLocal(null)));
  const styles = useStyles();

  if (config.isPending)
    return (
      <Centered>
        <Loading label="Starting Rapport…" />
      </Centered>
    );
  if (config.isError)
    return (
      <Centered>
        <ProblemMessage
          error={config.error}
          onRetry={() => void config.refetch()}
          what="Rapport cannot start"
        />
      </Centered>
    );

  if (entra) {
    if (entraSession.isPending)
      return (
        <Centered>
          <Loading label="Signing in…" />
        </Centered>
      );
    if (entraSession.isError)
      return (
        <Centered>
          <ProblemMessage
            error={entraSession.error}
            onRetry={() => void entraSession.refetch()}
            what="Sign-in failed"
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
          <Text>Sign in with your work account to see your day, your pipeline and your team.</Text>
          <Button appearance="primary" onClick={() => void signIn.signIn()}>
            Sign in with Microsoft 365
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
          <MessageBarBody>This Rapport server has no way to sign in configured.</MessageBarBody>
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
    <main className={styles.page}>
      <Card className={styles.card}>
        <form className={styles.form} onSubmit={(e) => void signIn(e)} aria-label="Sign in">
          <Text as="h1" size={600} weight="semibold">
            Sign in to Rapport
          </Text>
          {needsToken ? (
            <>
              <MessageBar intent="info" layout="multiline">
                <MessageBarBody>
                  This server signs in with its local issuer, and this page is not served by `npm start`'s dev
                  server, which mints tokens. Paste a token from `npm run token -- --email you@example.com`,
                  or open the web app from `npm start`.
                </MessageBarBody>
              </MessageBar>
              <Field label="Token" required>
                <Textarea value={token} onChange={(_, d) => setToken(d.value)} resize="vertical" />
              </Field>
            </>
          ) : (
            <>
              <Text>
                This Rapport runs on its local issuer (development and single-machine use): sign in as any
                address of your organisation.
              </Text>
              <Field label="Email address" required>
                <Input
                  type="email"
                  value={email}
                  onChange={(_, d) => setEmail(d.value)}
                  autoComplete="email"
                />
              </Field>
              <Field label="Name" hint="Optional, shown to your colleagues">
                <Input value={name} onChange={(_, d) => setName(d.value)} autoComplete="name" />
              </Field>
            </>
          )}
          {error !== null && <ProblemMessage error={error} what="Sign-in failed" />}
          <Button
            type="submit"
            appearance="primary"
            disabled={pending || (needsToken ? !token.trim() : !email.trim())}
          >
            {pending ? "Signing in…" : "Sign in"}
          </Button>
        </form>
      </Card>
    </main>
  );
}
