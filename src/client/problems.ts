import type { Problem } from "../shared/errors";

const GATEWAY_DOWN = new Set([502, 503, 504]);

/** A failed call: the server's problem (with its stable code), or status 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    /** Seconds to wait before trying again, where the server said (Retry-After on a 429 or 503). */
    readonly retryAfter: number | null = null,
  ) {
    super(
      problem
        ? `${problem.code}: ${problem.detail}`
        : status === 0
          ? "The Rapport server cannot be reached."
          : `HTTP ${status}`,
    );
  }

  get code(): string {
    if (this.problem) return this.problem.code;
    // A gateway (the dev server's proxy, a load balancer) answering for a server that is down.
    return this.status === 0 || GATEWAY_DOWN.has(this.status) ? "unreachable" : "unexpected_response";
  }

  /** Worth trying again later (offline, server restarting); a 4xx will fail the same way every time. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** What a failure says to a person: the server's own words where it gave them. */
export function errorDetail(error: unknown): string {
  return error instanceof ApiError ? (error.problem?.detail ?? error.message) : String(error);
}

/**
 * The server's refusal of a request's fields, by field: `body.customFields.size` under `size` for the prefix
 * `body.customFields.`. Empty for any other failure.
 */
export function fieldErrorsOf(error: unknown, prefix: string): Record<string, string> {
  if (!(error instanceof ApiError) || error.status !== 400) return {};
  return Object.fromEntries(
    (error.problem?.errors ?? [])
      .filter((e) => e.path.startsWith(prefix))
      .map((e) => [e.path.slice(prefix.length), e.message]),
  );
}

/** Whether the server refused the request for this field (by its path, `deal.lines`), whatever the status. */
export function refusedField(error: unknown, path: string): boolean {
  return error instanceof ApiError && (error.problem?.errors ?? []).some((e) => e.path === path);
}
