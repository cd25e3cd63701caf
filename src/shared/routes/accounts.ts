import {
  AcceptInvitation,
  ChangePassword,
  InvitationCreate,
  InvitationCreated,
  InvitationList,
  Invitation,
  OneTimeLink,
  Passkey,
  PasskeyList,
  PasskeyRegistration,
  PasskeySignIn,
  WebAuthnOptions,
  PasswordResetDone,
  PasswordResetRequest,
  PasswordResetRequested,
  RefreshRequest,
  ResetPassword,
  SessionList,
  SessionTokens,
  SessionsEnded,
  SignInPolicy,
  SignInPolicyChanged,
  SignInRequest,
  FirstSetup,
  SetupStatus,
} from "../accounts";
import { Deleted, IdParams } from "../common";
import { User } from "../users";
import type { RouteContract } from "./contract";

/**
 * Rapport's own accounts: signing in with an address and a password, sessions, invitations, password resets and
 * deactivation. The public routes (sign-in, refresh, accepting an invitation, resets) are limited per client
 * address and per account with growing waits (429 rate_limited with Retry-After), and answer the same whether or
 * not an address has an account.
 */
export const accountRoutes = {
  signInWithPassword: {
    method: "POST",
    path: "/api/v1/account/sign-in",
    summary:
      "Sign in with an address and a password: an access token and a refresh token (401 invalid_credentials)",
    public: true,
    body: SignInRequest,
    responses: { 200: SessionTokens },
  },
  refreshSession: {
    method: "POST",
    path: "/api/v1/account/refresh",
    summary:
      "The next access and refresh tokens for a refresh token, used once (a reused one ends the session)",
    public: true,
    body: RefreshRequest,
    responses: { 200: SessionTokens },
  },
  signOut: {
    method: "POST",
    path: "/api/v1/account/sign-out",
    summary: "End the session the access token belongs to",
    responses: { 200: SessionsEnded },
  },
  signOutEverywhere: {
    method: "POST",
    path: "/api/v1/account/sign-out-everywhere",
    summary: "End every session of the signed-in user",
    responses: { 200: SessionsEnded },
  },
  listSessions: {
    method: "GET",
    path: "/api/v1/account/sessions",
    summary: "The signed-in user's open sessions",
    responses: { 200: SessionList },
  },
  endSession: {
    method: "DELETE",
    path: "/api/v1/account/sessions/:id",
    summary: "End one of the signed-in user's sessions",
    params: IdParams,
    responses: { 200: SessionsEnded },
  },
  changePassword: {
    method: "POST",
    path: "/api/v1/account/password",
    summary: "Change the signed-in user's password (the current one required); their other sessions end",
    body: ChangePassword,
    responses: { 200: SessionsEnded },
  },
  requestPasswordReset: {
    method: "POST",
    path: "/api/v1/account/password-reset/request",
    summary:
      "Ask for a password reset; the same answer for any address (mailed a link where mail is configured; admins see the request)",
    public: true,
    body: PasswordResetRequest,
    responses: { 200: PasswordResetRequested },
  },
  resetPassword: {
    method: "POST",
    path: "/api/v1/account/password-reset",
    summary: "Set a new password with a reset link's token (one use, one hour); ends the user's sessions",
    public: true,
    body: ResetPassword,
    responses: { 200: PasswordResetDone },
  },
  acceptInvitation: {
    method: "POST",
    path: "/api/v1/invitations/accept",
    summary: "Accept an invitation with its token and a password: the account, signed in (410 link_invalid)",
    public: true,
    body: AcceptInvitation,
    responses: { 200: SessionTokens },
  },
  createInvitation: {
    method: "POST",
    path: "/api/v1/invitations",
    summary:
      "Invite someone into the organisation (admins only): a one-time link, valid seven days, mailed where mail is configured",
    body: InvitationCreate,
    responses: { 201: InvitationCreated },
  },
  listInvitations: {
    method: "GET",
    path: "/api/v1/invitations",
    summary: "The organisation's invitations, newest first (admins only)",
    responses: { 200: InvitationList },
  },
  revokeInvitation: {
    method: "DELETE",
    path: "/api/v1/invitations/:id",
    summary: "Withdraw a pending invitation (admins only); its link stops working",
    params: IdParams,
    responses: { 200: Invitation },
  },
  createPasswordResetLink: {
    method: "POST",
    path: "/api/v1/users/:id/password-reset-link",
    summary: "A one-time link (one hour) for a user to set a new password (admins only)",
    params: IdParams,
    responses: { 201: OneTimeLink },
  },
  deactivateUser: {
    method: "POST",
    path: "/api/v1/users/:id/deactivate",
    summary: "End a user's access (admins only): their sessions end at once",
    params: IdParams,
    responses: { 200: User },
  },
  reactivateUser: {
    method: "POST",
    path: "/api/v1/users/:id/reactivate",
    summary: "Give a deactivated user their access back (admins only); they sign in again",
    params: IdParams,
    responses: { 200: User },
  },
  passkeyRegistrationOptions: {
    method: "POST",
    path: "/api/v1/account/passkeys/options",
    summary: "WebAuthn options to register a passkey for the signed-in user (a challenge valid five minutes)",
    responses: { 200: WebAuthnOptions },
  },
  registerPasskey: {
    method: "POST",
    path: "/api/v1/account/passkeys",
    summary: "Register a passkey with the authenticator's response to the options",
    body: PasskeyRegistration,
    responses: { 201: Passkey },
  },
  listPasskeys: {
    method: "GET",
    path: "/api/v1/account/passkeys",
    summary: "The signed-in user's passkeys",
    responses: { 200: PasskeyList },
  },
  removePasskey: {
    method: "DELETE",
    path: "/api/v1/account/passkeys/:id",
    summary: "Remove one of the signed-in user's passkeys",
    params: IdParams,
    responses: { 200: Deleted },
  },
  passkeySignInOptions: {
    method: "POST",
    path: "/api/v1/account/passkey-sign-in/options",
    summary: "WebAuthn options to sign in with a passkey (no address asked: the passkey says whose it is)",
    public: true,
    responses: { 200: WebAuthnOptions },
  },
  signInWithPasskey: {
    method: "POST",
    path: "/api/v1/account/passkey-sign-in",
    summary: "Sign in with a passkey's response to the options: an access token and a refresh token",
    public: true,
    body: PasskeySignIn,
    responses: { 200: SessionTokens },
  },
  setupStatus: {
    method: "GET",
    path: "/api/v1/setup",
    summary:
      "Whether this request may set Rapport up: no user yet, and asked from the server's own machine (no proxy between)",
    public: true,
    responses: { 200: SetupStatus },
  },
  setUp: {
    method: "POST",
    path: "/api/v1/setup",
    summary:
      "Set up a fresh Rapport from the server's own machine: the organisation and its first admin, signed in (403 elsewhere, 409 once set up)",
    public: true,
    body: FirstSetup,
    responses: { 200: SessionTokens },
  },
  getSignInPolicy: {
    method: "GET",
    path: "/api/v1/organization/sign-in-policy",
    summary: "Whether Microsoft 365 is the organisation's only way in",
    responses: { 200: SignInPolicy },
  },
  setSignInPolicy: {
    method: "PATCH",
    path: "/api/v1/organization/sign-in-policy",
    summary:
      "Make Microsoft 365 the only way in (admins signed in with Microsoft 365 only; own-account sessions end), or not",
    body: SignInPolicy,
    responses: { 200: SignInPolicyChanged },
  },
} as const satisfies Record<string, RouteContract>;
