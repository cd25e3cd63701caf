import {
  type AccountInfo,
  type Configuration,
  type IPublicClientApplication,
  createNestablePublicClientApplication,
} from "@azure/msal-browser";
import { Problem } from "../../shared/errors";
import { ApiError } from "../../client/problems";

export interface NaaSignInOptions {
  clientId: string;
  authority: string;
  /** Rapport's API scope, e.g. `api://crm.example.com/<client id>/access_as_user`: never an ID token. */
  scopes: string[];
  /** Who Outlook says is signed in, to pick (or hint) the right account. */
  loginHint(): Promise<string | null>;
  /** MSAL's nestable client in Outlook; tests give one that stands in for the broker. */
  createClient?(configuration: Configuration): Promise<IPublicClientApplication>;
  /** Where Outlook blocks popups: the sign-in in an Office dialog, answering with the access token. */
  dialog?(request: {
    clientId: string;
    authority: string;
    scopes: string[];
    loginHint: string | null;
  }): Promise<string>;
}

/**
 * Tokens for Rapport's API through Outlook's own sign-in (MSAL nested app authentication): silently from the
 * broker's cache, or with a popup when the rep must consent or sign in again, or, where popups are blocked, in
 * an Office dialog. A sign-in that cannot happen now
 * is said as such, and is worth trying again: what the rep queued stays queued.
 */
export function naaTokenProvider(options: NaaSignInOptions): () => Promise<string> {
  let client: Promise<IPublicClientApplication> | null = null;
  return async () => {
    client ??= (options.createClient ?? createNestablePublicClientApplication)({
      auth: { clientId: options.clientId, authority: options.authority },
    });
    const app = await client;
    const hint = await options.loginHint();
    const account = accountFor(app.getAllAccounts(), hint);
    try {
      const silent = await app.acquireTokenSilent({
        scopes: options.scopes,
        ...(account ? { account } : {}),
      });
      return silent.accessToken;
    } catch {
      // Silent sign-in fails for many reasons (consent, expired session, no account yet): the popup covers all.
    }
    try {
      const popup = await app.acquireTokenPopup({
        scopes: options.scopes,
        ...(hint ? { loginHint: hint } : {}),
      });
      return popup.accessToken;
    } catch (error) {
      if (!options.dialog) throw signInFailed(error);
    }
    try {
      const { clientId, authority, scopes } = options;
      return await options.dialog({ clientId, authority, scopes, loginHint: hint });
    } catch (error) {
      throw signInFailed(error);
    }
  };
}

function accountFor(accounts: AccountInfo[], hint: string | null): AccountInfo | undefined {
  if (!hint) return accounts[0];
  return accounts.find((a) => a.username.toLowerCase() === hint.toLowerCase());
}

function signInFailed(error: unknown): ApiError {
  const why = error instanceof Error ? error.message : String(error);
  return new ApiError(
    0,
    Problem.parse({
      type: "about:blank",
      title: "Sign-in needed",
      status: 401,
      detail: `Sign in to Microsoft 365 to use Rapport (${why}).`,
      code: "auth_unavailable",
    }),
  );
}
