import { Client } from "@microsoft/microsoft-graph-client";

/**
 * The Microsoft Graph client library for the rep's own token (nested app authentication). `baseUrl` is Graph's own
 * unless a test points it at a local server; the client sends the token only to Graph's hosts and that one.
 */
export function graphClient(options: { getToken(): Promise<string>; baseUrl?: string }): Client {
  const baseUrl = options.baseUrl ?? "https://graph.microsoft.com/";
  return Client.init({
    baseUrl,
    defaultVersion: "v1.0",
    customHosts: new Set([new URL(baseUrl).hostname]),
    authProvider: (done) => {
      options.getToken().then(
        (token) => done(null, token),
        (error: unknown) => done(error instanceof Error ? error : new Error(String(error)), null),
      );
    },
  });
}
