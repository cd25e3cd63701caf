import { createStandardPublicClientApplication } from "@azure/msal-browser";
import { officeReady } from "../office/host";
import { tellOpener } from "../office/dialog";

// auth-dialog.html: the sign-in where Outlook cannot broker it and blocks popups. It runs MSAL's ordinary redirect
// flow in an Office dialog (its own window, on the add-in's origin) and hands the token back to the pane.
// The query says what to ask for: clientId, authority, scope, loginHint.

const REQUEST_KEY = "rapport.signInRequest";

async function main(): Promise<void> {
  await officeReady();
  // The first load carries the request in its query; the redirect back from Entra does not: kept for it here.
  const fresh = new URLSearchParams(location.search);
  if (fresh.has("clientId")) sessionStorage.setItem(REQUEST_KEY, fresh.toString());
  const query = new URLSearchParams(sessionStorage.getItem(REQUEST_KEY) ?? "");
  const clientId = query.get("clientId") ?? "";
  const authority = query.get("authority") ?? undefined;
  const scopes = (query.get("scope") ?? "").split(" ").filter(Boolean);
  const loginHint = query.get("loginHint") ?? undefined;
  // Opened by hand, not by the pane: there is nothing to sign in for.
  if (!clientId) return;
  const redirectUri = `${location.origin}${location.pathname}`;
  const app = await createStandardPublicClientApplication({
    auth: { clientId, authority, redirectUri },
    cache: { cacheLocation: "sessionStorage" },
  });
  try {
    const back = await app.handleRedirectPromise();
    if (back?.accessToken) {
      tellOpener(JSON.stringify({ accessToken: back.accessToken }));
      return;
    }
    await app.acquireTokenRedirect({ scopes, loginHint });
  } catch (error) {
    tellOpener(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
  }
}

void main();
