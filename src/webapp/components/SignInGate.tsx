import { MessageBar, MessageBarBody, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, Suspense, lazy, useState } from "react";
import { createApiClient } from "../../client/api-client";
import { type Session, forgetLocalSession, rememberedLocalSession } from "../auth/session";
import {
  type OwnSession,
  type SignedOutReason,
  rememberedOwnSession,
  startOwnSession,
} from "../auth/own-session";
import type { SessionTokens } from "../../shared/accounts";
import { usePath } from "../router";
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
const LocalSignInCard = lazy(() => forms().then((m) => ({ default: m.LocalSignInCard })));
// Rapport's own accounts' pages, in the same chunk.
const accountPages = () => import(/* webpackChunkName: "webapp-sign-in" */ "./AccountPages");
const OwnSignIn = lazy(() => accountPages().then((m) => ({ default: m.OwnSignIn })));
const InvitationPage = lazy(() => accountPages().then((m) => ({ default: m.InvitationPage })));
const ResetPasswordPage = lazy(() => accountPages().then((m) => ({ default: m.ResetPasswordPage })));
const SetupPage = lazy(() => accountPages().then((m) => ({ default: m.SetupPage })));

/** The pages a one-time link (or the first visit) opens, shown whether or not someone is signed in here. */
const LINK_PAGES = new Set(["/app/accept-invitation", "/app/reset-password", "/app/setup"]);

/** The public route that says how this server signs people in. */
const askSignIn = () => createApiClient({ baseUrl: "", getToken: async () => "" })("signIn", {});

/**
 * Nothing of the web app shows before sign-in: Rapport's own accounts where the server serves them, Microsoft 365
 * where configured (beside them, or alone), and the local issuer in development.
 */
export function SignInGate({ children }: { children: (session: Session) => ReactNode }) {
  const config = useQuery({ queryKey: ["sign-in"], queryFn: askSignIn, staleTime: Infinity });
  const path = usePath();
  const [notice, setNotice] = useState<SignedOutReason | null>(null);
  const queryClient = useQueryClient();
  // Setters are stable, so a session made now can end itself later (signed out, or ended by the server). What was
  // read for it goes with it: the next person to sign in here, or the same one, reads afresh.
  const ended = (reason: SignedOutReason) => {
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== "sign-in" });
    setOwn(null);
    setNotice(reason);
  };
  const [own, setOwn] = useState<OwnSession | null>(() => rememberedOwnSession(ended));
  const startOwn = (tokens: SessionTokens) => {
    // One way in at a time: a session of the local issuer kept in this browser gives way.
    forgetLocalSession();
    setLocal(null);
    setNotice(null);
    setOwn(startOwnSession(tokens, ended));
  };
  const entra = config.data?.entra ?? null;
  const entraSession = useQuery({
    queryKey: ["sign-in", "entra", entra?.clientId],
    enabled: entra !== null && own === null,
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

  const accounts = config.data.accounts === true;
  if (accounts && LINK_PAGES.has(path))
    return (
      <Suspense fallback={starting}>
        {path === "/app/accept-invitation" ? (
          <InvitationPage onSignedIn={startOwn} />
        ) : path === "/app/reset-password" ? (
          <ResetPasswordPage />
        ) : (
          <SetupPage onSignedIn={startOwn} />
        )}
      </Suspense>
    );
  if (own) return children(own);

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
        {accounts ? (
          <OwnSignIn onSignedIn={startOwn} onMicrosoft={() => void signIn.signIn()} notice={notice} />
        ) : (
          <EntraSignInPage onSignIn={() => void signIn.signIn()} />
        )}
      </Suspense>
    );
  }
  if (local) return children(local);
  if (accounts)
    return (
      <Suspense fallback={starting}>
        <OwnSignIn onSignedIn={startOwn} onMicrosoft={null} notice={notice}>
          {config.data.localIssuer && (
            <LocalSignInCard
              beneath
              onSignedIn={(session) => setLocal(session)}
              onSignOut={() => setLocal(null)}
            />
          )}
        </OwnSignIn>
      </Suspense>
    );
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
