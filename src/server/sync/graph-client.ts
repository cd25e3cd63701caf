import {
  AuthenticationHandler,
  Client,
  GraphError,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
} from "@microsoft/microsoft-graph-client";
import type { TenantTokens } from "./client-credentials";

/**
 * What every Graph caller of the server shares (the mail and calendar deltas, the subscriptions, occasion mails'
 * drafts): one Graph client per tenant, a request's time limit, and Graph's errors as one failure type.
 */

/** A Graph answer other than success, with what the sync needs to decide: wait, restart, or report. */
export class GraphFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
  }
}

/** Retry-After is honoured within a request only when it is short; a longer wait is the worker's to schedule. */
export const MAX_INLINE_WAIT_SECONDS = 10;

export function retryAfterOf(headers: Headers | undefined | null): number | null {
  const value = headers?.get("Retry-After");
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export interface GraphClients {
  /** `graphUrl` with one trailing slash: what the client's requests are made against. */
  baseUrl: string;
  clientFor(tenantId: string): Client;
}

/**
 * A Graph client per tenant, made on first use and kept: the library's authentication handler (which sends our
 * token only to `graphUrl`'s host), its retry handler (429, 503 and 504, after Retry-After when Graph names one of
 * at most MAX_INLINE_WAIT_SECONDS, with back-off otherwise), and its HTTP handler. `retries: "none"` leaves the
 * retry handler out, for a write that must not be sent twice.
 */
export function graphClients(options: {
  graphUrl: string;
  tokens: TenantTokens;
  retries: number | "none";
}): GraphClients {
  const baseUrl = `${options.graphUrl.replace(/\/+$/, "")}/`;
  const clients = new Map<string, Client>();
  return {
    baseUrl,
    clientFor(tenantId) {
      let client = clients.get(tenantId);
      if (!client) {
        const authentication = new AuthenticationHandler({ getAccessToken: () => options.tokens(tenantId) });
        if (options.retries === "none") authentication.setNext(new HTTPMessageHandler());
        else {
          const retry = new RetryHandler(
            new RetryHandlerOptions(2, options.retries, (_delay, _attempt, _request, _options, response) => {
              const wait = retryAfterOf(response.headers);
              return wait === null || wait <= MAX_INLINE_WAIT_SECONDS;
            }),
          );
          authentication.setNext(retry);
          retry.setNext(new HTTPMessageHandler());
        }
        client = Client.initWithMiddleware({
          middleware: authentication,
          baseUrl,
          defaultVersion: "v1.0",
          customHosts: new Set([new URL(baseUrl).hostname]),
        });
        clients.set(tenantId, client);
      }
      return client;
    },
  };
}

/** Graph's error as a GraphFailure (its status, code and Retry-After), `label` before its message; anything else as it is. */
export function graphFailureOf(error: unknown, label?: string): unknown {
  if (!(error instanceof GraphError)) return error;
  const code = error.code && error.code !== "null" ? error.code : null;
  return new GraphFailure(
    `${label ? `${label}: ` : ""}Microsoft Graph answered ${error.statusCode}${code ? ` (${code})` : ""}: ${error.message}`.slice(
      0,
      1000,
    ),
    error.statusCode,
    code,
    retryAfterOf(error.headers),
  );
}

/**
 * A Graph request that must answer within `timeoutMs`, its retries included: one that does not is a failure (504
 * `timeout`), retried by the caller later, never a wait forever. Graph's errors become GraphFailures.
 */
export async function timedGraphCall<T>(
  request: () => Promise<T>,
  timeoutMs: number,
  label?: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new GraphFailure(
            label
              ? `${label}: no answer within ${timeoutMs / 1000} s`
              : `Microsoft Graph did not answer within ${timeoutMs / 1000} s`,
            504,
            "timeout",
            null,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([request(), late]);
  } catch (error) {
    throw graphFailureOf(error, label);
  } finally {
    clearTimeout(timer);
  }
}
