import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body read as the event it is. */
  event: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
}

/** How the receiver answers a request: a status (with an optional Location), or never ("hang"). */
export type Answer = number | "hang" | { status: number; location: string };

/**
 * A webhook receiver on 127.0.0.1 for the tests: it records every request, per path, and answers as the test says
 * for that path (200 unless told).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly answers = new Map<string, (request: Received) => Answer>();
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let event: Received["event"];
      try {
        event = JSON.parse(body) as Received["event"];
      } catch {
        event = { id: "", type: "", occurredAt: "", data: {} };
      }
      const received: Received = { path: request.url ?? "", headers: request.headers, body, event };
      this.received.push(received);
      const answer = this.answers.get(received.path)?.(received) ?? 200;
      if (answer === "hang") return;
      if (typeof answer === "number") response.writeHead(answer).end(answer >= 300 ? "not now" : "ok");
      else response.writeHead(answer.status, { location: answer.location }).end();
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** How requests to this path are answered from now on. */
  answer(path: string, how: (request: Received) => Answer): void {
    this.answers.set(path, how);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * What a receiver does with `rapport-signature` (the README shows the same in a few lines): node:crypto only.
 * True when the signature is the secret's over "<t>.<body>" and its time within the tolerance.
 */
export function verifyRapportSignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries(header.split(",").map((part) => part.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
