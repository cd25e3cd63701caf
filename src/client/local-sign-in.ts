import { ApiError } from "./problems";

const TOKEN_LIFETIME_MS = 50 * 60 * 1000; // local tokens live an hour; fetch a new one well before

/**
 * Signs the pane in through the dev server's local issuer as the mailbox's own user, as the preview does. This
 * is the development path (the dev server serves `/preview/token`); Microsoft 365 sign-in with MSAL nested app
 * authentication replaces it for deployments.
 */
export function localIssuerToken(email: string | null, name?: string, baseUrl = ""): () => Promise<string> {
  let cached: { token: string; at: number } | null = null;
  return async () => {
    if (cached && Date.now() - cached.at < TOKEN_LIFETIME_MS) return cached.token;
    // Outlook always names the signed-in mailbox; without it there is nobody to sign in as.
    if (!email) throw new ApiError(401, null);
    const query = new URLSearchParams({ email, ...(name ? { name } : {}) });
    const response = await fetch(`${baseUrl}/preview/token?${query}`);
    if (!response.ok) throw new ApiError(response.status, null);
    // Only the dev server answers with a token; any other answer (a page, a problem) is no sign-in.
    const { token } = (await response.json()) as { token?: unknown };
    if (typeof token !== "string" || token === "") throw new ApiError(response.status, null);
    cached = { token, at: Date.now() };
    return token;
  };
}
