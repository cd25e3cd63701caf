import {
  Button,
  Card,
  Divider,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
} from "@simplewebauthn/browser";
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import type { SessionTokens } from "../../shared/accounts";
import { translate } from "../../shared/languages";
import { createApiClient } from "../../client/api-client";
import { ApiError } from "../../client/problems";
import type { SignedOutReason } from "../auth/own-session";
import { useMessages } from "../i18n/language";
import { navigate } from "../router";
import { accountMessages } from "./account-messages";
import { Loading } from "./Loading";
import { NewPasswordFields, newPasswordReady } from "./NewPasswordFields";
import { ProblemMessage } from "./ProblemMessage";
import { signInMessages } from "./sign-in-messages";

const useStyles = makeStyles({
  page: { display: "grid", placeItems: "center", minHeight: "100vh", padding: tokens.spacingHorizontalL },
  column: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalL,
    width: "min(440px, 100%)",
  },
  card: { padding: tokens.spacingHorizontalXL },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "center" },
});

/** The public routes need no token: the API client of a page nobody is signed in to. */
const publicApi = createApiClient({ baseUrl: "", getToken: async () => "" });

/**
 * A one-time link's token: after `#`, which the browser never sends to a server or a log. It is read once, then
 * taken out of the address bar, so it stays in neither the history nor a bookmark nor a screenshot. (Kept for the
 * page's lifetime: React's strict mode renders twice, and the second reading would find nothing.)
 */
let linkToken: { path: string; token: string | null } | null = null;
export function takeLinkToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]{43})(?:&|$)/.exec(location.hash);
  if (location.hash) history.replaceState(history.state, "", `${location.pathname}${location.search}`);
  if (match?.[1]) linkToken = { path: location.pathname, token: match[1] };
  else if (linkToken?.path !== location.pathname) linkToken = null;
  return linkToken?.token ?? null;
}

/** A link's token is used up once its page is done with it. */
function forgetLinkToken(): void {
  linkToken = null;
}

/** The authenticator's answer as the plain JSON object the contract reads (the library types it as interfaces). */
function asJson(credential: AuthenticationResponseJSON | RegistrationResponseJSON) {
  return {
    id: credential.id,
    rawId: credential.rawId,
    type: "public-key" as const,
    ...(credential.authenticatorAttachment
      ? { authenticatorAttachment: credential.authenticatorAttachment }
      : {}),
    response: { ...credential.response },
    clientExtensionResults: { ...credential.clientExtensionResults },
  };
}

/** This browser has no WebAuthn (an old one, or a page not served over HTTPS). */
class PasskeysUnsupported extends Error {}

/** A passkey prompt closed, cancelled or answered with nothing: the person's choice, not a fault to report. */
function passkeyNotUsed(error: unknown): boolean {
  return error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError");
}

/** A failure in the reader's words; a throttled attempt says how long to wait. */
/**
 * Why a form was refused, said at once: it takes the focus (the button pressed was disabled while waiting, which
 * left the focus nowhere) and is read out, so someone at the keyboard or with a screen reader hears it.
 */
function AccountProblem({ error, what }: { error: unknown; what: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div ref={ref} role="alert" tabIndex={-1}>
      <AccountProblemMessage error={error} what={what} />
    </div>
  );
}

function AccountProblemMessage({ error, what }: { error: unknown; what: string }) {
  const t = useMessages(accountMessages);
  if (error instanceof ApiError && error.status === 429 && error.retryAfter !== null)
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>{translate(t.throttled, { seconds: error.retryAfter })}</MessageBarBody>
      </MessageBar>
    );
  if (error instanceof PasskeysUnsupported)
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>{t.passkeyUnsupported}</MessageBarBody>
      </MessageBar>
    );
  if (passkeyNotUsed(error))
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>{t.passkeyNotUsed}</MessageBarBody>
      </MessageBar>
    );
  return <ProblemMessage error={error} what={what} />;
}

function Page({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return (
    <main className={styles.page}>
      <div className={styles.column}>{children}</div>
    </main>
  );
}

const passwordWords = (t: {
  newPassword: string;
  passwordHint: string;
  repeatPassword: string;
  passwordsDiffer: string;
}) => ({
  newPassword: t.newPassword,
  hint: t.passwordHint,
  repeatPassword: t.repeatPassword,
  passwordsDiffer: t.passwordsDiffer,
});

/** Runs a form's call with its pending and error states; `done` gets what it answered. */
function useSubmit<T>(call: () => Promise<T>, done: (result: T) => void) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setPending(true);
    setError(null);
    try {
      const result = await call();
      setPending(false);
      done(result);
    } catch (caught) {
      setPending(false);
      setError(caught);
    }
  };
  return { pending, error, submit: (event?: FormEvent) => void submit(event) };
}

/**
 * Rapport's own sign-in: an address and a password, or a passkey (the passkey says whose it is, so no address is
 * asked); a reset asked for; Microsoft 365 beside it where the server signs in with it; and on a fresh server
 * opened from its own machine, the way to set it up.
 */
export function OwnSignIn({
  onSignedIn,
  onMicrosoft,
  notice,
  children,
}: {
  onSignedIn(tokens: SessionTokens): void;
  /** Where the server is configured for Microsoft 365: off to Microsoft's sign-in page. */
  onMicrosoft: (() => void) | null;
  /** Why the person is here again: they signed out, or their session ended. */
  notice: SignedOutReason | null;
  /** More ways in below (the local issuer's form in development). */
  children?: ReactNode;
}) {
  const styles = useStyles();
  const t = useMessages(accountMessages);
  const s = useMessages(signInMessages);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [forgot, setForgot] = useState(false);
  const setup = useQuery({
    queryKey: ["sign-in", "setup"],
    queryFn: () => publicApi("setupStatus", {}),
    staleTime: Infinity,
    retry: false,
  });
  const withPassword = useSubmit(
    () => publicApi("signInWithPassword", { body: { email: email.trim(), password } }),
    onSignedIn,
  );
  const withPasskey = useSubmit(async () => {
    if (!browserSupportsWebAuthn()) throw new PasskeysUnsupported();
    const options = await publicApi("passkeySignInOptions", {});
    // The server's WebAuthn library wrote these options; the contract checks only their outline.
    const optionsJSON = options as unknown as PublicKeyCredentialRequestOptionsJSON;
    const response = await startAuthentication({ optionsJSON });
    return publicApi("signInWithPasskey", { body: { response: asJson(response) } });
  }, onSignedIn);
  const pending = withPassword.pending || withPasskey.pending;

  if (forgot)
    return (
      <Page>
        <ForgotPassword email={email} onBack={() => setForgot(false)} />
      </Page>
    );
  return (
    <Page>
      <Card className={styles.card}>
        <Text as="h1" size={600} weight="semibold">
          {s.signInTitle}
        </Text>
        {notice && (
          <MessageBar intent={notice === "session-ended" ? "warning" : "info"} layout="multiline">
            <MessageBarBody>{notice === "session-ended" ? t.sessionEnded : t.signedOut}</MessageBarBody>
          </MessageBar>
        )}
        {setup.data?.open && (
          <MessageBar intent="info" layout="multiline">
            <MessageBarBody>{t.setupOffer}</MessageBarBody>
            <MessageBarActions>
              <Button appearance="primary" onClick={() => navigate("/app/setup")}>
                {t.setUpRapport}
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
        <form className={styles.form} onSubmit={withPassword.submit} aria-label={t.accountForm}>
          <Field label={s.emailAddress} required>
            <Input
              type="email"
              autoComplete="username webauthn"
              value={email}
              onChange={(_, d) => setEmail(d.value)}
            />
          </Field>
          <Field label={t.password} required>
            <Input
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(_, d) => setPassword(d.value)}
            />
          </Field>
          {withPassword.error !== null && <AccountProblem error={withPassword.error} what={s.signInFailed} />}
          <div className={styles.row}>
            <Button type="submit" appearance="primary" disabled={pending || !email.trim() || !password}>
              {withPassword.pending ? s.signingIn : s.signIn}
            </Button>
            <Link as="button" type="button" onClick={() => setForgot(true)}>
              {t.forgotPassword}
            </Link>
          </div>
        </form>
        <Divider />
        {withPasskey.error !== null && <AccountProblem error={withPasskey.error} what={s.signInFailed} />}
        <Button onClick={() => withPasskey.submit()} disabled={pending}>
          {withPasskey.pending ? s.signingIn : t.signInWithPasskey}
        </Button>
        {onMicrosoft && (
          <>
            <Divider />
            <Text>{t.orMicrosoft}</Text>
            <Button onClick={onMicrosoft} disabled={pending}>
              {s.signInWithMicrosoft}
            </Button>
          </>
        )}
      </Card>
      {children}
    </Page>
  );
}

/** Asking for a new password: the same answer for every address, as the server gives it. */
function ForgotPassword({ email: typed, onBack }: { email: string; onBack(): void }) {
  const styles = useStyles();
  const t = useMessages(accountMessages);
  const s = useMessages(signInMessages);
  const [email, setEmail] = useState(typed);
  const [asked, setAsked] = useState(false);
  const request = useSubmit(
    () => publicApi("requestPasswordReset", { body: { email: email.trim() } }),
    () => setAsked(true),
  );
  return (
    <Card className={styles.card}>
      <form className={styles.form} onSubmit={request.submit} aria-label={t.resetTitle}>
        <Text as="h1" size={600} weight="semibold">
          {t.resetTitle}
        </Text>
        {asked ? (
          <MessageBar intent="success" layout="multiline">
            <MessageBarBody>{t.resetRequested}</MessageBarBody>
          </MessageBar>
        ) : (
          <>
            <Text>{t.resetIntro}</Text>
            <Field label={s.emailAddress} required>
              <Input
                type="email"
                autoComplete="username"
                value={email}
                onChange={(_, d) => setEmail(d.value)}
              />
            </Field>
            {request.error !== null && <AccountProblem error={request.error} what={t.requestReset} />}
          </>
        )}
        <div className={styles.row}>
          {!asked && (
            <Button type="submit" appearance="primary" disabled={request.pending || !email.trim()}>
              {request.pending ? t.requesting : t.requestReset}
            </Button>
          )}
          <Button type="button" onClick={onBack}>
            {t.backToSignIn}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function MissingToken() {
  const t = useMessages(accountMessages);
  return (
    <>
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>{t.noToken}</MessageBarBody>
      </MessageBar>
      <Button onClick={() => navigate("/app", { replace: true })}>{t.backToSignIn}</Button>
    </>
  );
}

/**
 * An invitation's link (npm run admin's first one too): a password chosen, the account made and signed in; then a
 * passkey offered, registered with the password just chosen (the server asks for it before adding a passkey).
 */
export function InvitationPage({ onSignedIn }: { onSignedIn(tokens: SessionTokens): void }) {
  const styles = useStyles();
  const t = useMessages(accountMessages);
  const [token] = useState(takeLinkToken);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [repeated, setRepeated] = useState("");
  const [tokens, setTokens] = useState<SessionTokens | null>(null);
  const [added, setAdded] = useState(false);
  const accept = useSubmit(
    () =>
      publicApi("acceptInvitation", {
        body: { token: token ?? "", password, ...(name.trim() ? { displayName: name.trim() } : {}) },
      }),
    (made) => {
      forgetLinkToken();
      setTokens(made);
    },
  );
  const addPasskey = useSubmit(
    async () => {
      if (!tokens) return;
      if (!browserSupportsWebAuthn()) throw new PasskeysUnsupported();
      const api = createApiClient({ baseUrl: "", getToken: async () => tokens.accessToken });
      const options = await api("passkeyRegistrationOptions", {});
      const optionsJSON = options as unknown as PublicKeyCredentialCreationOptionsJSON;
      const response = await startRegistration({ optionsJSON });
      await api("registerPasskey", { body: { response: asJson(response), currentPassword: password } });
    },
    () => setAdded(true),
  );
  const enter = () => {
    if (!tokens) return;
    navigate("/app", { replace: true });
    onSignedIn(tokens);
  };

  return (
    <Page>
      <Card className={styles.card}>
        <Text as="h1" size={600} weight="semibold">
          {t.invitationTitle}
        </Text>
        {!token ? (
          <MissingToken />
        ) : tokens ? (
          <section className={styles.form} aria-label={t.passkeyOfferTitle}>
            <Text as="h2" size={500} weight="semibold">
              {t.passkeyOfferTitle}
            </Text>
            {added ? (
              <MessageBar intent="success">
                <MessageBarBody>{t.passkeyAdded}</MessageBarBody>
              </MessageBar>
            ) : (
              <Text>{t.passkeyOfferIntro}</Text>
            )}
            {addPasskey.error !== null && <AccountProblem error={addPasskey.error} what={t.passkeyFailed} />}
            <div className={styles.row}>
              {!added && (
                <Button
                  appearance="primary"
                  onClick={() => addPasskey.submit()}
                  disabled={addPasskey.pending}
                >
                  {addPasskey.pending ? t.addingPasskey : t.addPasskey}
                </Button>
              )}
              <Button
                appearance={added ? "primary" : "secondary"}
                onClick={enter}
                disabled={addPasskey.pending}
              >
                {added ? t.continueToRapport : t.notNow}
              </Button>
            </div>
          </section>
        ) : (
          <form className={styles.form} onSubmit={accept.submit} aria-label={t.invitationTitle}>
            <Text>{t.invitationIntro}</Text>
            <Field label={t.displayName} hint={t.displayNameHint}>
              <Input autoComplete="name" value={name} onChange={(_, d) => setName(d.value)} />
            </Field>
            <NewPasswordFields
              password={password}
              repeated={repeated}
              onPassword={setPassword}
              onRepeated={setRepeated}
              words={passwordWords(t)}
            />
            {accept.error !== null && <AccountProblem error={accept.error} what={t.accountFailed} />}
            <Button
              type="submit"
              appearance="primary"
              disabled={accept.pending || !newPasswordReady(password, repeated)}
            >
              {accept.pending ? t.creatingAccount : t.createAccount}
            </Button>
          </form>
        )}
      </Card>
    </Page>
  );
}

/** A reset link's page: the new password set (every session of the account ends), then off to sign in with it. */
export function ResetPasswordPage() {
  const styles = useStyles();
  const t = useMessages(accountMessages);
  const [token] = useState(takeLinkToken);
  const [password, setPassword] = useState("");
  const [repeated, setRepeated] = useState("");
  const [done, setDone] = useState(false);
  const reset = useSubmit(
    () => publicApi("resetPassword", { body: { token: token ?? "", password } }),
    () => {
      forgetLinkToken();
      setDone(true);
    },
  );
  return (
    <Page>
      <Card className={styles.card}>
        <Text as="h1" size={600} weight="semibold">
          {t.resetPageTitle}
        </Text>
        {!token ? (
          <MissingToken />
        ) : done ? (
          <>
            <MessageBar intent="success" layout="multiline">
              <MessageBarBody>{t.resetDone}</MessageBarBody>
            </MessageBar>
            <Button appearance="primary" onClick={() => navigate("/app", { replace: true })}>
              {t.backToSignIn}
            </Button>
          </>
        ) : (
          <form className={styles.form} onSubmit={reset.submit} aria-label={t.resetPageTitle}>
            <NewPasswordFields
              password={password}
              repeated={repeated}
              onPassword={setPassword}
              onRepeated={setRepeated}
              words={passwordWords(t)}
            />
            {reset.error !== null && <AccountProblem error={reset.error} what={t.resetFailed} />}
            <Button
              type="submit"
              appearance="primary"
              disabled={reset.pending || !newPasswordReady(password, repeated)}
            >
              {reset.pending ? t.settingPassword : t.setPassword}
            </Button>
          </form>
        )}
      </Card>
    </Page>
  );
}

/** The first visit to a fresh Rapport from the server's own machine: the organisation and its first admin. */
export function SetupPage({ onSignedIn }: { onSignedIn(tokens: SessionTokens): void }) {
  const styles = useStyles();
  const t = useMessages(accountMessages);
  const s = useMessages(signInMessages);
  const status = useQuery({
    queryKey: ["sign-in", "setup"],
    queryFn: () => publicApi("setupStatus", {}),
    retry: false,
  });
  const [organization, setOrganization] = useState("");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [repeated, setRepeated] = useState("");
  const setUp = useSubmit(
    () =>
      publicApi("setUp", {
        body: {
          organizationName: organization.trim(),
          email: email.trim(),
          password,
          ...(name.trim() ? { displayName: name.trim() } : {}),
        },
      }),
    (tokens) => {
      navigate("/app", { replace: true });
      onSignedIn(tokens);
    },
  );
  const closed = (
    <>
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>{t.setupClosed}</MessageBarBody>
      </MessageBar>
      <Button onClick={() => navigate("/app", { replace: true })}>{t.backToSignIn}</Button>
    </>
  );
  let body: ReactNode;
  if (status.isPending) body = <Loading label={s.starting} />;
  else if (status.isError)
    body = <ProblemMessage error={status.error} onRetry={() => void status.refetch()} />;
  else if (!status.data.open && !setUp.error) body = closed;
  else
    body = (
      <form className={styles.form} onSubmit={setUp.submit} aria-label={t.setupTitle}>
        <Text>{t.setupIntro}</Text>
        <Field label={t.organizationName} required>
          <Input
            autoComplete="organization"
            value={organization}
            onChange={(_, d) => setOrganization(d.value)}
          />
        </Field>
        <Field label={t.displayName} hint={t.displayNameHint}>
          <Input autoComplete="name" value={name} onChange={(_, d) => setName(d.value)} />
        </Field>
        <Field label={s.emailAddress} required>
          <Input type="email" autoComplete="username" value={email} onChange={(_, d) => setEmail(d.value)} />
        </Field>
        <NewPasswordFields
          password={password}
          repeated={repeated}
          onPassword={setPassword}
          onRepeated={setRepeated}
          words={passwordWords(t)}
        />
        {setUp.error !== null &&
          // Refused after all (set up meanwhile by someone else, or reached through a proxy): the way that is left.
          (setUp.error instanceof ApiError && (setUp.error.status === 403 || setUp.error.status === 409) ? (
            closed
          ) : (
            <AccountProblem error={setUp.error} what={t.setupFailed} />
          ))}
        <Button
          type="submit"
          appearance="primary"
          disabled={
            setUp.pending || !organization.trim() || !email.trim() || !newPasswordReady(password, repeated)
          }
        >
          {setUp.pending ? t.settingUp : t.setUp}
        </Button>
      </form>
    );
  return (
    <Page>
      <Card className={styles.card}>
        <Text as="h1" size={600} weight="semibold">
          {t.setupTitle}
        </Text>
        {body}
      </Card>
    </Page>
  );
}
