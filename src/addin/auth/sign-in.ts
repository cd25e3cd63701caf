import { createApiClient } from "../api/client";
import { localIssuerToken } from "../api/local-sign-in";

/**
 * How this pane signs in, as the server says (GET /api/v1/sign-in): Microsoft 365 through Outlook when Entra
 * is configured (MSAL, loaded only then: it is a large chunk), else the local issuer of `npm start`.
 */
export async function signInFor(
  userAddress: string | null,
  loginHint: () => Promise<string | null>,
): Promise<() => Promise<string>> {
  const ask = createApiClient({ baseUrl: "", getToken: async () => "" });
  const config = await ask("signIn", {});
  if (config.entra) {
    const { clientId, authority, scope } = config.entra;
    const { naaTokenProvider } = await import(/* webpackChunkName: "msal" */ "./naa-sign-in");
    return naaTokenProvider({ clientId, authority, scopes: [scope], loginHint });
  }
  if (config.localIssuer) return localIssuerToken(userAddress);
  throw new Error("This Rapport server has no way to sign in configured.");
}

/**
 * A token getter for the API client, deciding how to sign in on first use. A first attempt that fails (the
 * server not reachable yet) is not remembered: the next call asks again.
 */
export function signInLazily(userAddress: string | null, loginHint: () => Promise<string | null>) {
  let chosen: Promise<() => Promise<string>> | null = null;
  return async (): Promise<string> => {
    chosen ??= signInFor(userAddress, loginHint).catch((error: unknown) => {
      chosen = null;
      throw error;
    });
    return (await chosen)();
  };
}
