import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** A message as the mail server received it: the envelope, the raw text, and its decoded plain-text part. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: string;
  text: string;
  html: string;
}

/** The body of each part of the given type, decoded (quoted-printable or base64), as a mail client would read it. */
function partOf(raw: string, type: "text/plain" | "text/html"): string {
  const parts = raw.split(/\r\n--[^\r\n]+\r\n/);
  for (const part of parts) {
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) continue;
    const head = part.slice(0, split);
    if (!new RegExp(`^content-type:\\s*${type}`, "im").test(head)) continue;
    let body = part.slice(split + 4).replace(/\r\n--[^\r\n]*--\r\n?$/, "");
    const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(head)?.[1]?.toLowerCase();
    if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    if (encoding === "quoted-printable") {
      body = body.replace(/=\r?\n/g, "");
      const bytes = body.replace(/=([0-9A-F]{2})/g, (_, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      );
      return Buffer.from(bytes, "latin1").toString("utf8");
    }
    return body;
  }
  return "";
}

/**
 * A real SMTP server on a local port that keeps what it is sent (smtp-server, as a mail relay would run it): plain
 * text (no STARTTLS), with a user name and a password, as RAPPORT_SMTP_SECURITY=off configures.
 */
export async function startSmtpSink(credentials = { user: "rapport", pass: "mail server secret" }) {
  const received: ReceivedMail[] = [];
  const waiting: (() => void)[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass)
        callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const split = raw.indexOf("\r\n\r\n");
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          headers: raw.slice(0, split),
          text: partOf(raw, "text/plain"),
          html: partOf(raw, "text/html"),
        });
        for (const wake of waiting.splice(0)) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    /** The first message to this address from `since` on, waiting for it (a test's own timeout bounds the wait). */
    async mailTo(address: string, since = 0): Promise<ReceivedMail> {
      for (;;) {
        const found = received.slice(since).find((m) => m.to.includes(address));
        if (found) return found;
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
