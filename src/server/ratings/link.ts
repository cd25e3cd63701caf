import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { LANGUAGES, type Language } from "../../shared/languages";
import { RATING_KINDS, type RatingKind } from "../../shared/ratings";

// A survey link's token: what it is for, signed with the organisation's key (HMAC-SHA-256). It carries the
// organisation (whose key checks it), the contact, the kind of question, the page's language, when it was made
// and until when it takes answers, and a random id that its one answer is stored under. Nothing in it is secret
// (the ids are random UUIDs that say nothing without a signed-in caller), and nothing in it can be changed
// without the key: a changed byte fails the signature and the link answers like one that never existed.
//
//   <payload: 52 bytes, base64url, 70 characters>.<HMAC of the payload's text, its first 128 bits, 22 characters>
//
// payload: version (1) | organisation (16) | contact (16) | kind (1) | language (1) | made at (4, Unix seconds)
//          | good until (4) | link id (9)
//
// The whole token stays under the router's 100 characters a path parameter may hold; a MAC cut to 128 bits is
// still far past guessing (RFC 2104 allows half the hash).

const VERSION = 1;
const PAYLOAD_BYTES = 52;
const ID_BYTES = 9;
const MAC_BYTES = 16;
/** Exactly one payload and one signature: anything else is refused before a byte is decoded. */
const TOKEN = /^([A-Za-z0-9_-]{70})\.([A-Za-z0-9_-]{22})$/;

export interface LinkClaims {
  orgId: string;
  contactId: string;
  kind: RatingKind;
  language: Language;
  issuedAt: Date;
  expiresAt: Date;
  /** The random id the link's answer is stored under (12 base64url characters). */
  linkId: string;
}

const uuidBytes = (id: string): Buffer => Buffer.from(id.replace(/-/g, ""), "hex");
const uuidText = (bytes: Buffer): string => {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

const sign = (key: Buffer, payload: string) =>
  createHmac("sha256", key)
    .update(`rapport-rating.${payload}`)
    .digest()
    .subarray(0, MAC_BYTES)
    .toString("base64url");

/** A new link's token; `linkId` only when a test needs a known one. */
export function signLink(
  key: Buffer,
  claims: Omit<LinkClaims, "linkId"> & { linkId?: string },
): { token: string; linkId: string } {
  const id = claims.linkId ? Buffer.from(claims.linkId, "base64url") : randomBytes(ID_BYTES);
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  uuidBytes(claims.orgId).copy(payload, 1);
  uuidBytes(claims.contactId).copy(payload, 17);
  payload.writeUInt8(RATING_KINDS.indexOf(claims.kind), 33);
  payload.writeUInt8(LANGUAGES.indexOf(claims.language), 34);
  payload.writeUInt32BE(Math.floor(claims.issuedAt.getTime() / 1000), 35);
  payload.writeUInt32BE(Math.floor(claims.expiresAt.getTime() / 1000), 39);
  id.copy(payload, 43, 0, ID_BYTES);
  const text = payload.toString("base64url");
  return { token: `${text}.${sign(key, text)}`, linkId: id.subarray(0, ID_BYTES).toString("base64url") };
}

/** The organisation a token names, read before its signature is checked: only to find the key that checks it. */
export function unverifiedOrgOf(token: string): string | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const payload = Buffer.from(match[1] as string, "base64url");
  if (payload.length !== PAYLOAD_BYTES || payload.readUInt8(0) !== VERSION) return null;
  return uuidText(payload.subarray(1, 17));
}

export type LinkVerdict =
  { kind: "ok"; claims: LinkClaims } | { kind: "expired"; claims: LinkClaims } | { kind: "forged" };

/** The token's claims when the key signed them; `expired` past their end (still signed: the page says so). */
export function verifyLink(key: Buffer, token: string, now: Date): LinkVerdict {
  const match = TOKEN.exec(token);
  if (!match) return { kind: "forged" };
  const text = match[1] as string;
  const expected = Buffer.from(sign(key, text));
  const given = Buffer.from(match[2] as string);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { kind: "forged" };
  const payload = Buffer.from(text, "base64url");
  const kind = RATING_KINDS[payload.readUInt8(33)];
  const language = LANGUAGES[payload.readUInt8(34)];
  // Signed, so written by this code; a version or value it does not know is a link from a later one.
  if (payload.readUInt8(0) !== VERSION || kind === undefined || language === undefined)
    return { kind: "forged" };
  const claims: LinkClaims = {
    orgId: uuidText(payload.subarray(1, 17)),
    contactId: uuidText(payload.subarray(17, 33)),
    kind,
    language,
    issuedAt: new Date(payload.readUInt32BE(35) * 1000),
    expiresAt: new Date(payload.readUInt32BE(39) * 1000),
    linkId: payload.subarray(43, PAYLOAD_BYTES).toString("base64url"),
  };
  return now.getTime() >= claims.expiresAt.getTime() ? { kind: "expired", claims } : { kind: "ok", claims };
}
