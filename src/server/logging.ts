import { type FastifyReply, type FastifyRequest, LogController } from "fastify";
import pino, { type DestinationStream, type Logger } from "pino";
import type { PrettyOptions } from "pino-pretty";
import { type Config, ConfigError } from "./config";

/**
 * What never reaches the log, whoever logs it: credentials in headers, and passwords and tokens in any object
 * logged (Fastify logs no request body, and links carry their tokens after `#`, which no request contains; this
 * holds for what a future log line might add).
 */
export const LOG_REDACTION = {
  paths: [
    "req.headers.authorization",
    "req.headers.cookie",
    "headers.authorization",
    "*.password",
    "*.token",
    "*.accessToken",
    "*.refreshToken",
    "password",
    "token",
    "accessToken",
    "refreshToken",
  ],
  censor: "[redacted]",
};

/**
 * The server's log: JSON lines for a deployment's log collector, or, for a person at a terminal (`npm start`),
 * one readable line per event. pino-pretty is a development dependency, so it is loaded only when asked for.
 */
export async function createLogger(config: Pick<Config, "logLevel" | "logFormat">): Promise<Logger> {
  if (config.logFormat === "json") return pino({ level: config.logLevel, redact: LOG_REDACTION });
  let pretty: (options: PrettyOptions) => DestinationStream;
  try {
    ({ default: pretty } = await import("pino-pretty"));
  } catch {
    throw new ConfigError(
      "Invalid configuration:\n  LOG_FORMAT: pretty needs the development dependency pino-pretty, which this installation " +
        "lacks (npm ci --omit=dev): use LOG_FORMAT=json, or install it",
    );
  }
  return pino(
    { level: config.logLevel, redact: LOG_REDACTION },
    pretty({
      colorize: Boolean(process.stdout.isTTY),
      translateTime: "HH:MM:ss",
      ignore: "pid,hostname,reqId",
      singleLine: true,
    }),
  );
}

/**
 * Requests as a developer at the terminal reads them: "GET /api/v1/people/lookup 200 12 ms", one line each
 * (Fastify writes two structured ones), the query left out. What went as asked is at debug (LOG_LEVEL=debug shows
 * it), so the terminal shows the refusals and failures, not the 75 requests of the demo data's load.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const path = request.url.split("?")[0] ?? request.url;
    const line = `${request.method} ${path} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`;
    if (error || reply.statusCode >= 500) reply.log.error({ err: error ?? undefined }, line);
    else if (reply.statusCode >= 400) reply.log.info(line);
    else reply.log.debug(line);
  }
}

/** Fastify's own request log for JSON (what a log collector wants), one line each for a terminal. */
export function requestLogFor(config: Pick<Config, "logFormat">): LogController | undefined {
  return config.logFormat === "pretty" ? new OneLinePerRequest() : undefined;
}
