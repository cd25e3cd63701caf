import nodemailer from "nodemailer";
import type { MailConfig } from "../config";

/** A message Rapport sends: to one address, in plain text and in simple HTML. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * Control characters (CR and LF above all) out of anything written into a header: a subject or a name carrying a
 * line break would otherwise start a header of its own (Bcc: …). Nodemailer encodes headers too; this does not
 * rely on it.
 */
export const oneHeaderLine = (value: string): string =>
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();

/** An address fit for an envelope and a To header: one address, no spaces, brackets, quotes or line breaks. */
const isPlainAddress = (address: string) =>
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  /^[^\s<>"(),;:\\\u0000-\u001f\u007f]+@[^\s<>"(),;:\\\u0000-\u001f\u007f@]+$/.test(address);

export class MailRefused extends Error {}

/** The SMTP transport of the configuration: one connection per message, so a dead connection is never reused. */
export function createMailer(config: MailConfig): Mailer {
  const transport = nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.security === "tls",
    requireTLS: config.security === "starttls",
    ignoreTLS: config.security === "off",
    ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
    // A mail server that hangs must not hold an admin's answer (or the reset queue) for minutes.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
    // Nothing of a message is ever read from a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(mail) {
      if (!isPlainAddress(mail.to)) throw new MailRefused("not a plain address");
      await transport.sendMail({
        from: { name: oneHeaderLine(config.from.name), address: config.from.address },
        to: mail.to,
        envelope: { from: config.from.address, to: [mail.to] },
        subject: oneHeaderLine(mail.subject),
        text: mail.text,
        html: mail.html,
      });
    },
    close: () => transport.close(),
  };
}
