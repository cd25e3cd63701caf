import { z } from "zod";
import { EmailAddress, Id, IsoDateTime } from "./common";
import { Language } from "./languages";
import { Role } from "./users";

/**
 * Rapport's own accounts (beside Microsoft 365 sign-in): passwords, invitations, password resets and sessions.
 * Every token here is a secret travelling in a body, never in a URL the server sees: a link carries its token after
 * `#`, which browsers do not send, and the page reading it posts it.
 */

export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase, short enough that hashing what is sent costs the server a bounded effort. */
export const PASSWORD_MAX_LENGTH = 256;

/** A new password's shape; the server also refuses common ones (400 weak_password). */
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `a password has at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `a password has at most ${PASSWORD_MAX_LENGTH} characters`);

/** A password as typed at sign-in: any length up to the maximum (an old, shorter one is just wrong). */
const TypedPassword = z.string().min(1).max(PASSWORD_MAX_LENGTH);

/** A link's or refresh token's secret: base64url of 32 random bytes. */
export const SecretToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "not a token Rapport issued");

export const SignInRequest = z.strictObject({ email: EmailAddress, password: TypedPassword });
export type SignInRequest = z.infer<typeof SignInRequest>;

/**
 * A signed-in session: an access token for the API (`Authorization: Bearer`, minutes), and a refresh token that
 * buys the next pair once (each is replaced at use; presenting a replaced one ends the session).
 */
export const SessionTokens = z.object({
  tokenType: z.literal("Bearer"),
  accessToken: z.string(),
  /** Seconds the access token is valid for. */
  expiresIn: z.number().int().positive(),
  refreshToken: SecretToken,
  /** When the refresh token runs out if it is not used before. */
  refreshExpiresAt: IsoDateTime,
  sessionId: Id,
});
export type SessionTokens = z.infer<typeof SessionTokens>;

export const RefreshRequest = z.strictObject({ refreshToken: SecretToken });

export const AcceptInvitation = z.strictObject({
  token: SecretToken,
  password: NewPassword,
  displayName: z.string().trim().min(1).max(200).optional(),
});
export type AcceptInvitation = z.infer<typeof AcceptInvitation>;

export const PasswordResetRequest = z.strictObject({ email: EmailAddress });

/** The same answer whether or not the address has an account. */
export const PasswordResetRequested = z.object({ accepted: z.literal(true), message: z.string() });

/** A signed-in user's new password, with the current one (a session left open on a shared computer is not enough). */
export const ChangePassword = z.strictObject({ currentPassword: TypedPassword, newPassword: NewPassword });
export type ChangePassword = z.infer<typeof ChangePassword>;

export const ResetPassword = z.strictObject({ token: SecretToken, password: NewPassword });
export const PasswordResetDone = z.object({ reset: z.literal(true) });

export const InvitationCreate = z.strictObject({
  email: EmailAddress,
  role: Role.default("member"),
  /** The language the invitation is mailed in; by default the inviting admin's. */
  language: Language.optional(),
});
export type InvitationCreate = z.infer<typeof InvitationCreate>;

export const InvitationStatus = z.enum(["pending", "accepted", "revoked", "expired"]);

export const Invitation = z.object({
  id: Id,
  email: z.string(),
  role: Role,
  status: InvitationStatus,
  /** null: made on the command line (npm run admin). */
  invitedBy: Id.nullable(),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
});
export type Invitation = z.infer<typeof Invitation>;

/**
 * A one-time link, shown once to the admin who made it (Rapport keeps only its hash): to copy and hand over, or
 * mailed too where the server has a mail server (RAPPORT_SMTP_HOST).
 */
export const OneTimeLink = z.object({ link: z.url(), expiresAt: IsoDateTime });

/** Whether the link was mailed: `sent`, `failed` (the admin hands it over; the log and the audit say why), or `not_configured`. */
export const MailOutcome = z.enum(["sent", "failed", "not_configured"]);
export type MailOutcome = z.infer<typeof MailOutcome>;

export const InvitationCreated = z.object({
  invitation: Invitation,
  ...OneTimeLink.shape,
  mail: MailOutcome,
});
export const InvitationList = z.object({ items: z.array(Invitation) });

export const Session = z.object({
  id: Id,
  userAgent: z.string().nullable(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime,
  expiresAt: IsoDateTime,
  /** The session the request came with. */
  current: z.boolean(),
});
export type Session = z.infer<typeof Session>;
export const SessionList = z.object({ items: z.array(Session) });

export const SessionsEnded = z.object({ ended: z.number().int().min(0) });

/**
 * Passkeys (WebAuthn). The options and the authenticator's response are WebAuthn's own JSON (as
 * `PublicKeyCredential.toJSON()` and `@simplewebauthn/browser` write them), checked by the server's WebAuthn
 * library; here only their outline.
 */
export const WebAuthnOptions = z.looseObject({ challenge: z.string() });
const WebAuthnResponse = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.looseObject({ clientDataJSON: z.string().max(16 * 1024) }),
  clientExtensionResults: z.record(z.string(), z.unknown()),
});

export const PasskeyRegistration = z.strictObject({
  response: WebAuthnResponse,
  name: z.string().trim().min(1).max(100).optional(),
  /**
   * Needed from a user with a Rapport password: a passkey outlives sessions, password resets and signing out
   * everywhere, so a copied access token or a session left open must not be enough to add one.
   */
  currentPassword: TypedPassword.optional(),
});
export const PasskeySignIn = z.strictObject({ response: WebAuthnResponse });

export const Passkey = z.object({
  id: Id,
  name: z.string().nullable(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime.nullable(),
});
export type Passkey = z.infer<typeof Passkey>;
export const PasskeyList = z.object({ items: z.array(Passkey) });

/**
 * Setting up a fresh Rapport from the server's own machine (the first visit to the web app): the organisation and
 * its first admin, signed in. Refused once anyone has an account here, or from any other machine.
 */
export const FirstSetup = z.strictObject({
  organizationName: z.string().trim().min(1).max(200),
  email: EmailAddress,
  displayName: z.string().trim().min(1).max(200).optional(),
  password: NewPassword,
});
export type FirstSetup = z.infer<typeof FirstSetup>;

/** Whether this request may set Rapport up: no user yet, and asked from the server's own machine. */
export const SetupStatus = z.object({ open: z.boolean() });
export type SetupStatus = z.infer<typeof SetupStatus>;

/** Whether Microsoft 365 is the organisation's only way in (no Rapport password or passkey sign-in). */
export const SignInPolicy = z.strictObject({ microsoft365Only: z.boolean() });
export type SignInPolicy = z.infer<typeof SignInPolicy>;
export const SignInPolicyChanged = z.object({
  microsoft365Only: z.boolean(),
  /** Own-account sessions ended by turning it on. */
  sessionsEnded: z.number().int().min(0),
});
