import { request as httpsRequest } from "node:https";

/**
 * fetch that trusts a local test server's certificate for requests to that origin and leaves every other
 * request to the real fetch: the Graph client calls the global fetch (as in a browser), and sends tokens to
 * https hosts only, so its local stand-ins speak https with a certificate made for the suite.
 */
export function trustingFetch(
  ca: string,
  origin: string,
  realFetch: typeof fetch = globalThis.fetch,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${origin}/`)) return realFetch(input, init);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    return new Promise<Response>((resolve, reject) => {
      const outgoing = httpsRequest(
        request.url,
        { method: request.method, headers: Object.fromEntries(request.headers), ca },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
          incoming.on("end", () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(incoming.headers))
              if (typeof value === "string") headers.set(name, value);
            const status = incoming.statusCode ?? 500;
            // A 204 (Graph's answer to a deleted subscription) or 304 has no body, and Response refuses one.
            const body = [204, 205, 304].includes(status) ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, headers }));
          });
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  };
}
