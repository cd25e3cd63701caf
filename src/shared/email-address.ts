// Email addresses as Rapport sees them: one canonical spelling per mailbox, so that the add-in, the API and
// the database all agree on whether two addresses are the same person. The canonical form has the domain in
// lower-case ASCII, punycode for an internationalised one (jorg@xn--mller-kva.example), because Outlook hands
// either that or the Unicode spelling (jorg@müller.example) for the same mailbox; the address as the person
// wrote it is kept beside it for showing.

const utf8 = new TextEncoder();

/** RFC 5321 measures these limits in octets, not characters, so non-ASCII addresses are counted as UTF-8. */
const MAX_ADDRESS_BYTES = 254;
const MAX_LOCAL_PART_BYTES = 64;
const MAX_LABEL_LENGTH = 63;
const MAX_DOMAIN_LENGTH = 253;

// Unicode letters and combining marks so that IDN domains (straße.de, čokolada.hr, हिन्दी.भारत) pass as typed.
const DOMAIN_LABEL = /^[\p{L}\p{M}\p{Nd}](?:[\p{L}\p{M}\p{Nd}-]*[\p{L}\p{M}\p{Nd}])?$/u;
// Whitespace, controls and invisible format characters (zero-width space, BOM, bidi marks) make two addresses
// look identical while comparing different, so none of them can be part of an address.
const INVISIBLE_OR_SPACE = /[\s\p{Cc}\p{Cf}]/u;
// RFC 5322 "specials": outside quotes they mean the text was a mailbox list or a display name, not an address.
const UNQUOTED_LOCAL_SPECIALS = /["(),:;<>[\]\\]/;
const QUOTED_LOCAL_PART = /^"(?:[^"\\]|\\.)*"$/;
const DOT_ATOM = /^[^.@"(),:;<>[\]\\]+(?:\.[^.@"(),:;<>[\]\\]+)*$/;
// A label as DNS carries it. Punycode labels are letters, digits and hyphens too.
const ASCII_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const PLAIN_ASCII_DOMAIN = /^[a-z0-9.-]*$/i;
const PUNYCODE_LABEL = /(?:^|\.)xn--/i;

function byteLength(text: string): number {
  return utf8.encode(text).length;
}

/** Peels the wrappers that pasting from mail clients and web pages adds: `mailto:`, `<…>`, `"…"`, `'…'`. */
function unwrap(input: string): string {
  let value = input.trim();
  // Bounded, because each pass must remove something and hostile input should not spin.
  for (let pass = 0; pass < 8; pass++) {
    const before = value;
    if (/^mailto:/i.test(value)) {
      value = value.slice("mailto:".length);
      // A mailto URL may carry ?subject=…; "?" cannot occur in a domain, so anything from it on is the query.
      const at = value.lastIndexOf("@");
      const query = value.indexOf("?", at === -1 ? 0 : at);
      if (query !== -1) value = value.slice(0, query);
    }
    if (value.length >= 2) {
      const first = value[0];
      const last = value[value.length - 1];
      if ((first === "<" && last === ">") || ((first === '"' || first === "'") && last === first)) {
        value = value.slice(1, -1);
      }
    }
    value = value.trim();
    if (value === before) break;
  }
  return value;
}

/** Index of the only `@` outside a quoted string, or -1 when there is none, more than one, or an open quote. */
function findSeparator(address: string): number {
  let separator = -1;
  let inQuotes = false;
  for (let i = 0; i < address.length; i++) {
    const char = address[i];
    if (inQuotes && char === "\\") {
      i++;
    } else if (char === '"') {
      inQuotes = !inQuotes;
    } else if (char === "@" && !inQuotes) {
      if (separator !== -1) return -1;
      separator = i;
    }
  }
  return inQuotes ? -1 : separator;
}

function isPlausibleLocalPart(local: string): boolean {
  if (local.length === 0 || byteLength(local) > MAX_LOCAL_PART_BYTES) return false;
  if (local.startsWith('"')) return QUOTED_LOCAL_PART.test(local);
  return !UNQUOTED_LOCAL_SPECIALS.test(local);
}

function isPlausibleDomain(domain: string): boolean {
  const labels = domain.split(".");
  if (labels.length < 2) return false;
  if (!labels.every((label) => label.length <= MAX_LABEL_LENGTH && DOMAIN_LABEL.test(label))) return false;
  const tld = labels[labels.length - 1] ?? "";
  // An all-digit "TLD" means an IP address; mail to bare IPs is not a person Rapport can file.
  return [...tld].length >= 2 && !/^\d+$/.test(tld);
}

/**
 * The URL parser's host: IDNA (UTS #46, non-transitional, so "ß" stays "ß" and straße.de is not strasse.de) in
 * every browser and in Node alike, without a library. Only called with letters, marks, digits, hyphens and dots,
 * so nothing in the domain can be read as a port, a path or credentials.
 */
function urlHostname(domain: string): string | null {
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return null;
  }
}

/**
 * A plausible domain (NFC, in the case it was written in) in its canonical form: lower-case ASCII, each label that
 * is not ASCII as punycode; null when IDNA refuses it (a label that starts with a combining mark, a broken xn--
 * label) or its ASCII form breaks DNS's limits. IDNA maps the case itself, and differently from JavaScript's
 * toLowerCase: that writes a final capital sigma as ς, which IDNA keeps as a letter of its own, while IDNA maps
 * every Σ to σ. Lower-cased first, ΟΔΟΣ.gr and οδοσ.gr would be two domains.
 */
function toAsciiDomain(domain: string): string | null {
  // Plain ASCII without punycode is what the parser would return, lower-cased: the common case stays cheap.
  const ascii =
    PLAIN_ASCII_DOMAIN.test(domain) && !PUNYCODE_LABEL.test(domain)
      ? domain.toLowerCase()
      : urlHostname(domain);
  if (ascii === null || ascii.length > MAX_DOMAIN_LENGTH) return null;
  const labels = ascii.split(".");
  // The same number of labels: the parser maps some characters to dots, and a domain must not change shape.
  if (labels.length !== domain.split(".").length) return null;
  if (!labels.every((label) => label.length <= MAX_LABEL_LENGTH && ASCII_LABEL.test(label))) return null;
  const tld = labels[labels.length - 1] ?? "";
  return tld.length >= 2 && !/^\d+$/.test(tld) ? ascii : null;
}

/** An address in the two forms Rapport keeps. */
export interface EmailAddressForms {
  /** The canonical form: what Rapport stores as the key and compares. */
  address: string;
  /** As the person wrote it (unwrapped, lower-cased, NFC, its domain in the script it was written in): for showing. */
  written: string;
}

/**
 * An address in its canonical and its written form, or null when the input is not a plausible address.
 * The address is lower-cased because Rapport, like Exchange, treats addresses case-insensitively (the local part
 * by JavaScript, the domain by IDNA: see toAsciiDomain), and NFC-normalised so that a pasted "å" and a typed "å"
 * are the same character. The canonical form has the domain in ASCII (punycode): jorg@müller.example and
 * jorg@xn--mller-kva.example are one mailbox. A trailing root dot (bob@contoso.com., the fully qualified form)
 * is read away, as canonicalDomain reads it: refusing the address let a rule about contoso.com miss it.
 */
export function readEmailAddress(input: string): EmailAddressForms | null {
  const address = unwrap(input).normalize("NFC");
  if (address.length === 0 || INVISIBLE_OR_SPACE.test(address)) return null;
  if (byteLength(address) > MAX_ADDRESS_BYTES) return null;

  const at = findSeparator(address);
  if (at === -1) return null;
  let local = address.slice(0, at).toLowerCase();
  const domain = withoutTrailingDots(address.slice(at + 1));
  if (!isPlausibleLocalPart(local) || !isPlausibleDomain(domain)) return null;
  const asciiDomain = toAsciiDomain(domain);
  if (asciiDomain === null) return null;

  // "anna"@x.com is the same mailbox as anna@x.com; keep quotes only where they are needed.
  if (local.startsWith('"')) {
    const unquoted = local.slice(1, -1);
    if (DOT_ATOM.test(unquoted)) local = unquoted;
  }
  const written = `${local}@${domain.toLowerCase()}`;
  if (byteLength(written) > MAX_ADDRESS_BYTES) return null;
  return { address: `${local}@${asciiDomain}`, written };
}

/** The canonical form of an address (see readEmailAddress), or null when the input is not a plausible address. */
export function normalizeEmailAddress(input: string): string | null {
  return readEmailAddress(input)?.address ?? null;
}

export interface Mailbox {
  /** Canonical. */
  address: string;
  /** As written. */
  written: string;
  name: string | null;
}

function unquoteName(raw: string): string {
  let name = raw.trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    name = name.slice(1, -1).replace(/\\(.)/g, "$1");
  } else if (name.length >= 2 && name.startsWith("'") && name.endsWith("'")) {
    name = name.slice(1, -1);
  }
  return name.trim();
}

function isQuoted(raw: string): boolean {
  const name = raw.trim();
  return name.length >= 2 && (name[0] === '"' || name[0] === "'") && name.endsWith(name[0]);
}

function mailbox(forms: EmailAddressForms, rawName: string): Mailbox {
  const name = unquoteName(rawName);
  // Clients often repeat the address as the name ("anna@x.com" <anna@x.com>); that is not a name.
  const isJustTheAddress = name === "" || normalizeEmailAddress(name) === forms.address;
  return { ...forms, name: isJustTheAddress ? null : name };
}

/**
 * Reads one mailbox as mail clients write it: `anna@x.com`, `Anna Berg <anna@x.com>`,
 * `"Berg, Anna" <anna@x.com>`, `<anna@x.com>`, or the older `anna@x.com (Anna Berg)`.
 */
export function parseMailbox(input: string): Mailbox | null {
  const text = input.trim();

  if (text.endsWith(">")) {
    const open = text.lastIndexOf("<");
    if (open === -1) return null;
    const forms = readEmailAddress(text.slice(open + 1, -1));
    if (forms === null) return null;
    const rawName = text.slice(0, open);
    // An unquoted name with angle brackets means a list of mailboxes was pasted, and which one was meant is a guess.
    if (!isQuoted(rawName) && /[<>]/.test(rawName)) return null;
    return mailbox(forms, rawName);
  }

  const comment = /^([^\s()]+)\s*\(([^()]*)\)$/.exec(text);
  if (comment !== null) {
    const forms = readEmailAddress(comment[1] ?? "");
    return forms === null ? null : mailbox(forms, comment[2] ?? "");
  }

  const forms = readEmailAddress(text);
  return forms === null ? null : { ...forms, name: null };
}

/**
 * The domain of an address as it was written, lower-cased (for showing, and for reading a company name from it);
 * input without an `@` is taken to be a domain already. Compare domains with canonicalDomain.
 */
export function domainOf(address: string): string {
  return writtenDomainOf(address).toLowerCase();
}

/** The domain of an address in the case it was written in (NFC): what IDNA is given (see toAsciiDomain). */
function writtenDomainOf(address: string): string {
  const trimmed = address.trim();
  return trimmed.slice(trimmed.lastIndexOf("@") + 1).normalize("NFC");
}

/** Without trailing dots ("contoso.com." is the root-anchored contoso.com); a loop, as a regex here would backtrack. */
function withoutTrailingDots(domain: string): string {
  let end = domain.length;
  while (end > 0 && domain[end - 1] === ".") end--;
  return domain.slice(0, end);
}

/**
 * The canonical form of a domain (lower-case ASCII, punycode for internationalised labels), or null when it is not
 * a domain. Accepts `müller.example`, `@Müller.example`, `xn--mller-kva.example.` and whole addresses alike.
 */
export function canonicalDomain(text: string): string | null {
  const domain = withoutTrailingDots(writtenDomainOf(text));
  // No domain is longer than an address may be: the bound keeps the parser's work small whatever is passed in.
  if (domain.length > MAX_ADDRESS_BYTES || byteLength(domain) > MAX_ADDRESS_BYTES) return null;
  return isPlausibleDomain(domain) ? toAsciiDomain(domain) : null;
}

/** A domain as compared: canonical where it is a domain, otherwise lower-cased as given (it then matches itself). */
function comparableDomain(text: string): string {
  return canonicalDomain(text) ?? withoutTrailingDots(domainOf(text));
}

// Consumer mail: the domain says nothing about the company, so Rapport must not match or create a company from it.
const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "msn.com",
  "ymail.com",
  "rocketmail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "web.de",
  "t-online.de",
  "freenet.de",
  "proton.me",
  "protonmail.com",
  "protonmail.ch",
  "pm.me",
  "mail.ru",
  "zoho.com",
  "fastmail.com",
  "fastmail.fm",
  "hey.com",
  "tutanota.com",
  "tutanota.de",
  "tuta.io",
  "qq.com",
  "163.com",
  "126.com",
  "comcast.net",
  "telia.com",
  "online.no",
  "bredband.net",
  "spray.se",
  "tele2.se",
  "start.no",
  "t-com.hr",
  "net.hr",
]);

// Providers that run the same consumer service under many country domains: hotmail.se, yahoo.co.uk, gmx.at…
const FREE_MAIL_BRANDS: ReadonlySet<string> = new Set([
  "hotmail",
  "live",
  "outlook",
  "yahoo",
  "gmx",
  "yandex",
]);

// Second levels under which countries sell names (co.uk, com.au, co.jp, ne.jp). Listing them, rather than accepting
// any two labels, keeps "live.contoso.com" a company domain.
const COUNTRY_SECOND_LEVELS: ReadonlySet<string> = new Set(["co", "com", "net", "org", "ne", "or"]);

function isPublicSuffixShape(labels: readonly string[]): boolean {
  if (labels.length === 1) return /^\p{L}{2,}$/u.test(labels[0] ?? "");
  if (labels.length === 2) {
    return COUNTRY_SECOND_LEVELS.has(labels[0] ?? "") && /^[a-z]{2}$/.test(labels[1] ?? "");
  }
  return false;
}

/** The most labels a free-mail domain has: a brand and a country's second and top level (yahoo.co.uk). */
const FREE_MAIL_LABELS = 3;

/** True for consumer mail providers (gmail.com, hotmail.se, gmx.de…) and their subdomains. */
export function isFreeMailDomain(domain: string): boolean {
  const labels = comparableDomain(domain).split(".");
  // Only the last labels can name the provider: joining every suffix of a domain of many labels is quadratic.
  for (let start = Math.max(0, labels.length - FREE_MAIL_LABELS); start < labels.length - 1; start++) {
    if (FREE_MAIL_DOMAINS.has(labels.slice(start).join("."))) return true;
    if (FREE_MAIL_BRANDS.has(labels[start] ?? "") && isPublicSuffixShape(labels.slice(start + 1)))
      return true;
  }
  return false;
}

/**
 * True when `domain` is one of `domains` or a subdomain of one: `eu.contoso.com` is within `contoso.com`,
 * `notcontoso.com` is not. Entries may be written `@contoso.com`; blank entries match nothing. Either side may be
 * written in Unicode or in punycode: müller.example and xn--mller-kva.example are one domain.
 */
export function isWithinDomains(domain: string, domains: readonly string[]): boolean {
  return withinDomains(domains)(domain);
}

/**
 * isWithinDomains for many domains against one list: the list is read once, and each domain is looked up by its
 * own suffixes (`com`, `contoso.com`, `eu.contoso.com`), so the cost does not grow with the list.
 */
export function withinDomains(domains: readonly string[]): (domain: string) => boolean {
  const parents = new Set(domains.map(comparableDomain).filter((parent) => parent !== ""));
  const longest = [...parents].reduce((max, parent) => Math.max(max, parent.length), 0);
  return (domain) => {
    const candidate = comparableDomain(domain);
    if (candidate === "") return false;
    // From the top level leftwards, and only while a suffix is short enough to be an entry: looking up every
    // suffix of a domain of many labels would be quadratic in its length.
    for (let before = candidate.length; ;) {
      const dot = before === 0 ? -1 : candidate.lastIndexOf(".", before - 1);
      if (candidate.length - (dot + 1) > longest) return false;
      if (parents.has(candidate.slice(dot + 1))) return true;
      if (dot === -1) return false;
      before = dot;
    }
  };
}
