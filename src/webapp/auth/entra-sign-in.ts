import {
  type AccountInfo,
  type Configuration,
  InteractionRequiredAuthError,
  PublicClientApplication,
} from "@azure/msal-browser";
import { Problem } from "../../shared/errors";
import { ApiError } from "../../client/problems";

export interface EntraSignIn {
  /** Who is signed in in this browser, if anyone. */
  account: AccountInfo | null;
  /** Off to Microsoft's sign-in page, and back to /app. */
  signIn(): Promise<void>;
  getToken(): Promise<string>;
  signOut(): Promise<void>;
}

interface EntraSettings {
  clientId: string;
  authority: string;
  scope: string;
}

/**
 * MSAL keeps its tokens in the tab's session storage: they go when the tab closes, so the next person at a shared
 * computer finds none, and a script that ever ran on the page could not read a refresh token that outlives the
 * visit. A new tab signs in again, silently where Microsoft's own session still holds.
 */
function msalConfiguration(entra: EntraSettings, origin: string): Configuration {
  return {
    auth: { clientId: entra.clientId, authority: entra.authority, redirectUri: `${origin}/app` },
    cache: { cacheLocation: "sessionStorage" },
  };
}

/**
 * Microsoft 365 sign-in for a normal browser page: MSAL's PublicClientApplication with the redirect flow (no
 * Outlook here to broker it, so not nested app authentication). The redirect URI is /app on this origin, which
 * the app registration must list as a single-page application redirect URI.
 */
export async function entraSignIn(entra: EntraSettings): Promise<EntraSignIn> {
  const configuration = msalConfiguration(entra, location.origin);
  const redirectUri = configuration.auth.redirectUri;
  const app = await PublicClientApplication.createPublicClientApplication(configuration);
  // Coming back from Microsoft's page: the answer is in the URL, and this is where MSAL reads it.
  const redirected = await app.handleRedirectPromise();
  const account = redirected?.account ?? app.getActiveAccount() ?? app.getAllAccounts()[0] ?? null;
  if (account) app.setActiveAccount(account);
  const scopes = [entra.scope];
  return {
    account,
    signIn: () => app.loginRedirect({ scopes }),
    async getToken() {
      const active = app.getActiveAccount();
      if (!active) throw signInNeeded("nobody is signed in");
      try {
        return (await app.acquireTokenSilent({ scopes, account: active })).accessToken;
      } catch (error) {
        // Consent or a new sign-in is needed: the page leaves for Microsoft's and comes back signed in.
        if (error instanceof InteractionRequiredAuthError)
          await app.acquireTokenRedirect({ scopes, account: active });
        throw signInNeeded(error instanceof Error ? error.message : String(error));
      }
    },
    signOut: () =>
      app.logoutRedirect({
        account: app.getActiveAccount() ?? undefined,
        postLogoutRedirectUri: redirectUri,
      }),
  };
}

function signInNeeded(why: string): ApiError {
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
