import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { WEBHOOK_HEADERS } from "../../shared/webhooks";
import { ALLOW_PRIVATE_HINT, guardedLookup, hostOf, isRefusedAddress } from "./address";

/** The most of a receiver's answer read: it is only shown as the last error, and a receiver cannot fill memory. */
const MAX_ANSWER_BYTES = 64 * 1024;
/** How much of a failed answer is kept to show. */
const ERROR_CHARS = 300;

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
}

export interface Outgoing {
  url: string;
  secret: string;
  eventId: string;
  eventType: string;
  body: string;
  at: Date;
}

export type SendResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the timestamp is signed, so a replay shows its age. */
export function signature(secret: string, unixSeconds: number, body: string): string {
  const v1 = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${v1}`;
}

/**
 * One attempt: a POST of the event with its id, type, time and signature. Any 2xx is delivered; a redirect is a
 * failure (never followed: it could lead anywhere), and so are no answer within the time, another status, and an
 * address the server may not reach.
 */
export function sendDelivery(outgoing: Outgoing, options: SendOptions): Promise<SendResult> {
  const url = new URL(outgoing.url);
  const host = hostOf(url);
  // An IP address is connected to without a lookup: checked here instead.
  if (!options.allowPrivate && isIP(host) && isRefusedAddress(host))
    return Promise.resolve({
      ok: false,
      status: null,
      error: `${host} is an address webhooks may not reach (${ALLOW_PRIVATE_HINT})`,
    });
  const unix = Math.floor(outgoing.at.getTime() / 1000);
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = transport.request(
      url,
      {
        method: "POST",
        // A fresh connection each time, made through the checking lookup: never a pooled socket to an address
        // checked for another name.
        agent: false,
        lookup: guardedLookup(options.allowPrivate, options.timeoutMs),
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(outgoing.body),
          "user-agent": "Rapport-Webhooks/1",
          [WEBHOOK_HEADERS.id]: outgoing.eventId,
          [WEBHOOK_HEADERS.type]: outgoing.eventType,
          [WEBHOOK_HEADERS.timestamp]: outgoing.at.toISOString(),
          [WEBHOOK_HEADERS.signature]: signature(outgoing.secret, unix, outgoing.body),
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let read = 0;
        const done = () => {
          if (status >= 200 && status < 300) return finish({ ok: true, status });
          const text = Buffer.concat(chunks).toString("utf8").slice(0, ERROR_CHARS).trim();
          const what =
            status >= 300 && status < 400
              ? `HTTP ${status}: redirects are not followed`
              : `HTTP ${status}${text ? `: ${text}` : ""}`;
          finish({ ok: false, status, error: what });
        };
        response.on("data", (chunk: Buffer) => {
          if (read < ERROR_CHARS * 4) chunks.push(chunk);
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) {
            response.destroy();
            done();
          }
        });
        response.on("end", done);
        response.on("error", done);
        response.on("close", done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ ok: false, status: null, error: `no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    request.on("error", (error) =>
      finish({ ok: false, status: null, error: error.message.slice(0, ERROR_CHARS) }),
    );
    request.end(outgoing.body);
  });
}
