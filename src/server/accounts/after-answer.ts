import type { FastifyBaseLogger } from "fastify";

/**
 * Work done after the answer has gone, one job at a time: a password reset request answers at once and the same
 * for any address, and only then looks the address up, makes a link and mails it. Bounded, so a flood of requests
 * (which the throttle already slows) cannot grow it without end: past the bound a job is dropped and logged.
 */
export class AfterAnswer {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly limit = 200,
  ) {}

  run(what: string, job: () => Promise<void>): void {
    if (this.waiting >= this.limit) {
      this.log.warn({ job: what }, "too much work after answers waiting: a job is dropped");
      return;
    }
    this.waiting += 1;
    this.tail = this.tail
      .then(job)
      .catch((error: unknown) =>
        this.log.error({ job: what, error: describeError(error) }, "work after an answer failed"),
      )
      .finally(() => {
        this.waiting -= 1;
      });
  }

  /** Resolves once every job queued so far is done (the server waits for it as it closes). */
  idle(): Promise<void> {
    return this.tail;
  }
}

/**
 * What the log says of a failure: its kind and message, and an SMTP server's code and reply. Never the error
 * object whole: a library may hang the message it was sending (with its link) on it.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error).slice(0, 300) };
  const smtp = error as Error & { code?: unknown; responseCode?: unknown; command?: unknown };
  return {
    name: error.name,
    message: error.message.replace(/token=[A-Za-z0-9_-]+/g, "token=[redacted]").slice(0, 300),
    ...(typeof smtp.code === "string" ? { code: smtp.code } : {}),
    ...(typeof smtp.responseCode === "number" ? { responseCode: smtp.responseCode } : {}),
    ...(typeof smtp.command === "string" ? { command: smtp.command.slice(0, 20) } : {}),
  };
}
