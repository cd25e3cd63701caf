import { MessageBar, MessageBarBody, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, Suspense, lazy, useState } from "react";
import { createApiClient } from "../../client/api-client";
import { type Session, rememberedLocalSession } from "../auth/session";
import { Loading } from "./Loading";
import { ProblemMessage } from "./ProblemMessage";
import { useMessages } from "../i18n/language";
import { signInMessages } from "./sign-in-messages";

const useStyles = makeStyles({
  page: { display: "grid", placeItems: "center", minHeight: "100vh", padding: tokens.spacingHorizontalL },
});

// The sign-in forms wait in their own chunk: a returning user, signed in already, never needs them.
const forms = () => import(/* webpackChunkName: "webapp-sign-in" */ "./SignInForms");
const LocalSignIn = lazy(() => forms().then((m) => ({ default: m.LocalSignIn })));
const EntraSignInPage = lazy(() => forms().then((m) => ({ default: m.EntraSignInPage })));

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
  const [local, setLocal] = useState<Session | null>(() => rememberedLocalSession(() => setLocal(null)));
  const starting = (
    <Centered>
      <Loading label={t.starting} />
    </Centered>
  );

  if (config.isPending) return starting;
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
      <Suspense fallback={starting}>
        <EntraSignInPage onSignIn={() => void signIn.signIn()} />
      </Suspense>
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
  return (
    <Suspense fallback={starting}>
      <LocalSignIn onSignedIn={(session) => setLocal(session)} onSignOut={() => setLocal(null)} />
    </Suspense>
  );
}

function Centered({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return <div className={styles.page}>{children}</div>;
}
