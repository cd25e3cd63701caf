import { type FastifyReply, type FastifyRequest, LogController } from "fastify";
import pino, { type Logger } from "pino";
import type { Config } from "./config";

/**
 * The server's log: JSON lines for a deployment's log collector, or, for a person at a terminal (`npm start`),
 * one readable line per event. pino-pretty is a development dependency, so it is loaded only when asked for.
 */
export async function createLogger(config: Pick<Config, "logLevel" | "logFormat">): Promise<Logger> {
  if (config.logFormat === "json") return pino({ level: config.logLevel });
  const { default: pretty } = await import("pino-pretty");
  return pino(
    { level: config.logLevel },
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
 * (Fastify writes two structured ones), the query left out, a load balancer's probes only at debug.
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
    else if (path === "/healthz" || path === "/readyz") reply.log.debug(line);
    else reply.log.info(line);
  }
}

/** Fastify's own request log for JSON (what a log collector wants), one line each for a terminal. */
export function requestLogFor(config: Pick<Config, "logFormat">): LogController | undefined {
  return config.logFormat === "pretty" ? new OneLinePerRequest() : undefined;
}
