// Reading a sender's email signature to pre-fill title, company, phones and website on "Add to Rapport". The body
// is untrusted and often carries other people's signatures in the quoted history, so the parser works only on
// the sender's own text, looks at a bounded tail of it, and answers null rather than guess when a line could be
// something else: a wrong title on a contact is worse than an empty field the user fills in.

import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";
import { normalizeCompanyDomain } from "./companies";
import { domainOf, isFreeMailDomain } from "./email-address";
import { parsePersonName } from "./person-name";

export interface SignatureFacts {
  /** Job title as written, e.g. "CFO", "Head of Sales". */
  title: string | null;
  /** Company name as written, e.g. "Fabrikam AB". */
  company: string | null;
  /** International format, most likely to reach the person first (mobile, direct, then switchboard); at most 3. */
  phones: string[];
  /** The company's web domain, normalised; never a free-mail or social site. */
  website: string | null;
}

export interface SignatureSender {
  address: string;
  name: string | null;
}

export interface SignatureOptions {
  /** ISO 3166 country for numbers written without a country code; guessed from the sender's domain if absent. */
  defaultCountry?: string;
}

const MAX_TAIL_CHARS = 4000;
const MAX_BLOCK_LINES = 10;
const FALLBACK_WINDOW_LINES = 8;
// Signature plus a legal notice of a few lines; more than this after a sign-off means it was not the last one.
const MAX_LINES_AFTER_SIGN_OFF = 20;
const MAX_PHONES = 3;
// Longer lines are prose or legal disclaimers; skipping them also keeps every regex below on short input.
const MAX_LINE_CHARS = 300;

function emptyFacts(): SignatureFacts {
  return { title: null, company: null, phones: [], website: null };
}

// ---------------------------------------------------------------------------------------------------------------
// Cutting away what the sender did not write

const REPLY_VERB = /\b(?:wrote|schrieb|skrev|je napisao|je napisala|a écrit)\b/i;
const REPLY_HEADER_START = /^(?:on|am|den|på|dana|le)\s/i;
// "Anna Berg wrote:", and Gmail's "tis 3 nov. 2026 kl. 10:00 skrev Anna Berg <anna@fabrikam.se>:".
const REPLY_HEADER_END = /\b(?:wrote|schrieb|skrev|je napisao|je napisala|a écrit)\b.{0,200}:\s*$/i;
const OUTLOOK_FROM = /^\*?(?:from|von|från|fra|od|šalje|sender|de)\s*:\*?\s*\S/i;
const OUTLOOK_SENT = /^\*?(?:sent|gesendet|skickat|sendt|poslano|date|datum|dato|envoyé)\s*:/i;
const OUTLOOK_SENT_INLINE = /\s\*?(?:sent|gesendet|skickat|sendt|poslano|date|datum|dato)\s*:\*?\s/i;
const ORIGINAL_MESSAGE_WORDS = /^[\p{L} ]{3,40}$/u;

/**
 * "-----Original Message-----", "---------- Forwarded message ---------". The dashes are counted off each end by
 * loops and the words between them read apart: a pattern of dashes around words backtracks over a run of dashes
 * followed by anything else (`/^-{2,}([^-]*)-{2,}$/` tries every split of the run), quadratic in its length.
 */
export function isOriginalMessageLine(line: string): boolean {
  const HYPHEN = 0x2d;
  let start = 0;
  while (start < line.length && line.charCodeAt(start) === HYPHEN) start++;
  let end = line.length;
  while (end > start && line.charCodeAt(end - 1) === HYPHEN) end--;
  if (start < 2 || line.length - end < 2) return false;
  const words = line.slice(start, end);
  return !words.includes("-") && ORIGINAL_MESSAGE_WORDS.test(words.trim());
}

/**
 * A reply or forward header. "Den … skrev" and "On … wrote" can also start ordinary sentences, so those need a
 * date or an address in the line as well.
 */
function isReplyHeaderLine(line: string): boolean {
  if (line.length > MAX_LINE_CHARS) return false;
  const hasDateOrAddress = /\d|@/.test(line);
  if (hasDateOrAddress && REPLY_HEADER_START.test(line) && REPLY_VERB.test(line)) return true;
  // Without a leading "On"/"Am"/"Den", "As I wrote last week, the prices are:" must not cut the mail: a real
  // header carries an address or a time.
  if (line.trimEnd().endsWith(":") && /@|<|\d{1,2}[:.]\d{2}/.test(line) && REPLY_HEADER_END.test(line))
    return true;
  return isOriginalMessageLine(line);
}

function isOutlookHeaderAt(lines: readonly string[], index: number): boolean {
  const line = lines[index] ?? "";
  if (line.length > MAX_LINE_CHARS || !OUTLOOK_FROM.test(line)) return false;
  if (OUTLOOK_SENT_INLINE.test(line)) return true;
  // "From:" alone is an ordinary word; Outlook always follows it with the date within a line or two.
  let seen = 0;
  for (let next = index + 1; next < lines.length && next <= index + 8 && seen < 4; next++) {
    const candidate = (lines[next] ?? "").trim();
    if (candidate === "") continue;
    seen++;
    if (OUTLOOK_SENT.test(candidate)) return true;
  }
  return false;
}

const DEVICE_FOOTER =
  /^(?:sent from (?:my|outlook|mail)|get outlook for|skickat från (?:min|outlook)|skickad från min|von meinem .{1,40} gesendet|gesendet von (?:meinem|outlook)|sendt fra (?:min|outlook)|poslano (?:s|sa) mog|sent with |sent via )/i;

/** The sender's own text: everything before the first reply header. */
function ownText(body: string): string[] {
  const lines = body.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? "").trim();
    if (line === "") continue;
    const nextLine = (lines[index + 1] ?? "").trim();
    // Plain-text clients wrap a long "On … <address> wrote:" over two lines. A header ends with its colon, so
    // other lines are never searched verb by verb.
    const wrappedHeader =
      line.length < 200 &&
      nextLine.length < 200 &&
      (nextLine || line).endsWith(":") &&
      REPLY_HEADER_START.test(line) &&
      /\d|@/.test(line) &&
      REPLY_HEADER_END.test(`${line} ${nextLine}`);
    if (isReplyHeaderLine(line) || wrappedHeader || isOutlookHeaderAt(lines, index))
      return lines.slice(0, index);
  }
  return lines;
}

/**
 * Only the last few thousand characters can hold the signature; the rest is never looked at. A very long line
 * (a one-paragraph legal notice) is prose, so it is blanked rather than allowed to use up the whole budget.
 * Quoted lines and device footers are dropped here too.
 */
function tailLines(lines: readonly string[]): string[] {
  const tail: string[] = [];
  let chars = 0;
  for (let index = lines.length - 1; index >= 0; index--) {
    const raw = lines[index] ?? "";
    const long = raw.length > MAX_LINE_CHARS;
    chars += (long ? MAX_LINE_CHARS : raw.length) + 1;
    if (chars > MAX_TAIL_CHARS) break;
    const line = long
      ? ""
      : raw
          .replace(/[\u200b-\u200d\u2060\ufeff]/g, "")
          .replace(/[\u00a0\u2007\u202f]/g, " ")
          .trim();
    if (line.startsWith(">") || DEVICE_FOOTER.test(line)) continue;
    tail.push(line);
  }
  return tail.reverse();
}

// ---------------------------------------------------------------------------------------------------------------
// The sender's name

interface NameMatcher {
  full: RegExp | null;
  first: string | null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function nameMatcher(sender: SignatureSender): NameMatcher {
  const parsed = parsePersonName(sender.name, sender.address);
  if (parsed === null) return { full: null, first: null };
  const first = parsed.firstName?.toLowerCase() ?? null;
  const last = parsed.lastName?.toLowerCase() ?? null;
  if (first === null || last === null) return { full: null, first: first ?? last };
  // A middle name or initial may sit between: "Anna M. Berg", "Anna Karin Berg".
  const full = new RegExp(
    `^((?:[\\p{L}.-]+\\s+){0,2}?)${escapeRegExp(first)}(?:\\s+[\\p{L}.-]+)?\\s+${escapeRegExp(last)}(?=$|[\\s,|/•·(–—-])`,
    "iu",
  );
  return { full, first };
}

interface NameLine {
  /** What follows the name on the same line, e.g. "CFO | Fabrikam AB" in "Anna Berg | CFO | Fabrikam AB". */
  rest: string;
}

// German letters are often signed on someone's behalf: "i.A. Thomas Müller", "ppa. Thomas Müller".
const HONORIFIC_PREFIX =
  /^(?:(?:dr|prof|mr|mrs|ms|mag|ing|dipl|herr|frau|fru|dipl\.-ing|i\.\s?a|i\.\s?v|ppa|pp)\.?\s+)*$/i;

function stripDecoration(line: string): string {
  return line
    .replace(/^[\s*_"'“”/–—-]+/, "")
    .replace(/[\s*_"'“”]+$/, "")
    .trim();
}

// Degrees after a name ("Anna Berg, PhD", "Ivana Horvat, dipl. oec.") are not the job title.
const CREDENTIAL = /^(?:(?:\p{L}{1,6}\.[\s-]*)+|MBA|PhD|MSc|BSc|MA|BA|LLM|CPA|CFA|PMP|ACCA|CIPD)$/u;

function withoutCredentials(rest: string): string {
  const pieces = rest.split(/\s*,\s*/);
  let start = 0;
  while (start < pieces.length && CREDENTIAL.test(pieces[start] ?? "")) start++;
  return pieces.slice(start).join(", ").trim();
}

function matchNameLine(line: string, matcher: NameMatcher): NameLine | null {
  const text = stripDecoration(line).normalize("NFC");
  if (text === "") return null;
  if (matcher.full !== null) {
    const match = matcher.full.exec(text);
    if (match !== null && HONORIFIC_PREFIX.test(match[1] ?? "")) {
      const rest = text
        .slice(match[0].length)
        .replace(/\([^)]*\)/g, " ")
        .replace(/^[\s,|/•·–—-]+/, "")
        .trim();
      return { rest: withoutCredentials(rest) };
    }
  }
  const bare = text.replace(/[.,!]+$/, "").toLowerCase();
  if (matcher.first !== null && bare === matcher.first) return { rest: "" };
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Sign-offs

const SIGN_OFFS: ReadonlySet<string> = new Set([
  "best regards",
  "kind regards",
  "kindest regards",
  "warm regards",
  "warmest regards",
  "with kind regards",
  "with best regards",
  "regards",
  "best",
  "best wishes",
  "all the best",
  "cheers",
  "thanks",
  "thank you",
  "many thanks",
  "thanks again",
  "thanks and regards",
  "thanks & regards",
  "sincerely",
  "yours sincerely",
  "sincerely yours",
  "br",
  "rgds",
  "med vänlig hälsning",
  "med vänliga hälsningar",
  "vänliga hälsningar",
  "vänlig hälsning",
  "bästa hälsningar",
  "varma hälsningar",
  "hälsningar",
  "hälsning",
  "mvh",
  "tack",
  "stort tack",
  "mit freundlichen grüßen",
  "mit freundlichen grüssen",
  "mit besten grüßen",
  "freundliche grüße",
  "freundliche grüsse",
  "viele grüße",
  "viele grüsse",
  "beste grüße",
  "beste grüsse",
  "liebe grüße",
  "herzliche grüße",
  "schöne grüße",
  "gruß",
  "grüße",
  "vielen dank",
  "danke",
  "lg",
  "mfg",
  "vg",
  "med vennlig hilsen",
  "vennlig hilsen",
  "beste hilsen",
  "hilsen",
  "takk",
  "mange takk",
  "srdačan pozdrav",
  "srdačni pozdravi",
  "lijep pozdrav",
  "lijepi pozdrav",
  "s poštovanjem",
  "sa poštovanjem",
  "pozdrav",
  "pozdravi",
  "hvala",
  "lp",
]);

const LONGEST_SIGN_OFF_WORDS = 4;

function normalizeSignOff(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFC")
    .replace(/[\s,.!:;–—-]+$/, "")
    .replace(/\s+/g, " ")
    .trim();
}

function isSignOffPhrase(text: string): boolean {
  const normalized = normalizeSignOff(text);
  if (SIGN_OFFS.has(normalized)) return true;
  // Bilingual sign-offs: "Med vänlig hälsning / Best regards".
  const halves = normalized.split(/\s*\/\s*/);
  return halves.length > 1 && halves.every((half) => SIGN_OFFS.has(half));
}

interface SignOff {
  /** A name written on the sign-off line itself: "Thanks, Anna", "Mvh Anna". */
  name: string | null;
}

function looksLikePersonName(text: string): boolean {
  const words = text.split(/\s+/);
  if (words.length < 2 || words.length > 4) return false;
  if (hasTitleKeyword(text) || legalFormCompany(text)) return false;
  return words.every((word) => /^\p{Lu}[\p{L}'’.-]*$/u.test(word));
}

function matchSignOff(line: string, matcher: NameMatcher): SignOff | null {
  if (line.length > 80) return null;
  if (/^--\s*$/.test(line)) return { name: null };
  if (isSignOffPhrase(line)) return { name: null };
  const words = line.split(/\s+/);
  for (let count = Math.min(LONGEST_SIGN_OFF_WORDS, words.length - 1); count >= 1; count--) {
    const head = words.slice(0, count).join(" ");
    if (!isSignOffPhrase(head)) continue;
    const withComma = /[,–—-]\s*$/.test(head) || /^[,–—/-]/.test(words[count] ?? "");
    const rest = stripDecoration(
      words
        .slice(count)
        .join(" ")
        .replace(/^[,\s/–—-]+/, ""),
    );
    if (rest === "") return null;
    if (matchNameLine(rest, matcher) !== null) return { name: rest };
    if (/\d/.test(rest)) return null;
    if (withComma && (looksLikePersonName(rest) || /^\p{Lu}\p{Ll}+$/u.test(rest))) return { name: rest };
    return null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Titles and companies

// Compound-friendly stems, so that Försäljningschef, Verkaufsleiter, Salgssjef and Voditeljica all read as titles.
const TITLE_STEMS =
  /manager|director|head of|\bhead\b|\blead\b|chief|officer|president|founder|owner|partner|engineer|developer|consultant|specialist|coordinator|analyst|advis[eo]r|architect|executive|assistant|representative|associate|administrator|accountant|controller|buyer|recruiter|designer|counsel|attorney|lawyer|secretary|\bsales\b|account|marketing|procurement|purchas|chef|ansvarig|säljare|konsult|inköp|ekonom|ingenjör|utvecklare|rådgiv|ledare|samordnare|handläggare|koordinator|leiter|geschäftsführ|vertrieb|berater|einkäuf|einkauf|prokurist|referent|sachbearbeit|vorstand|inhaber|sjef|\bleder\b|konsulent|selger|innkjøp|direktør|direktor|voditelj|menadžer|savjetni|komercijalist|prodaj|nabav|inženjer|predsjedni|uprave|ravnatelj/i;
const TITLE_ABBREVIATIONS = /\b(?:CEO|CFO|CTO|COO|CIO|CMO|CRO|CPO|CSO|CISO|VP|SVP|EVP|AVP|VD|MD|GM|KAM)\b/;

function hasTitleKeyword(text: string): boolean {
  return TITLE_STEMS.test(text) || TITLE_ABBREVIATIONS.test(text);
}

// Case matters: "AS" and "SA" are legal forms, "as" and "sa" are words.
const LEGAL_FORM =
  /\s(?:AB(?: \(publ\))?|AS|ASA|A\/S|ApS|AG|SE|KG|OHG|GmbH(?: & Co\.? KG)?|gmbh|UG(?: \(haftungsbeschränkt\))?|e\.\s?V\.|d\.o\.o\.|j\.d\.o\.o\.|d\.d\.|Ltd\.?|LTD\.?|Limited|Inc\.?|INC\.?|LLC|LLP|L\.L\.C\.|Corp\.?|Corporation|Oy|Oyj|BV|B\.V\.|NV|N\.V\.|SA|S\.A\.|SAS|S\.A\.S\.|SARL|Srl|S\.r\.l\.|SpA|S\.p\.A\.|plc|PLC|HB|KB|Sp\. z o\.o\.)$/;
// Parts that name a region or unit, not the company: "Head of Sales | Nordics".
const REGION_WORDS =
  /^(?:nordics?|norden|emea|apac|amer|americas|dach|europe|eu|scandinavia|sweden|sverige|norway|norge|germany|deutschland|croatia|hrvatska|global|international|worldwide)$/i;
// An address line has a house number or postal code and a street word: "Storgatan 1", "Hauptstraße 5",
// "Box 12". The digit is required so that "Delegate", "Head of Revenue" or "Broadcast" stay titles.
const STREET_WORD =
  /(?:gatan|vägen|väg|gränd|torget|backe|allé|straße|strasse|str\.|platz|weg|gasse|gate|gata|veien|vei|vegen|plass|ulica|trg|cesta|street|road|avenue|st\.|rd\.|ave|suite|floor|box|postfach|postboks)(?![\p{L}])/iu;

function isAddress(text: string): boolean {
  return /\d/.test(text) && STREET_WORD.test(text);
}

const EMAIL = /[^\s<>()[\]"',;|]+@[^\s<>()[\]"',;|]+/g;
const COMMON_TLDS =
  "com|se|de|no|hr|at|ch|uk|dk|fi|nl|be|fr|it|es|pl|eu|net|org|io|co|ai|app|dev|info|biz|us|ca|au|tech|cloud|group|global|ba|rs|si|is|ee|lv|lt|cz|sk|hu|ie|pt|online|shop|nu";
// A bare domain needs a known TLD, or "St.Eriksgatan" and "image001.png" would pass; www. or a scheme is enough.
const URL = new RegExp(
  `(?:https?:\\/\\/|www\\.)[^\\s<>()"'|,]+|(?<![\\p{L}\\p{N}@.-])[\\p{L}\\p{N}][\\p{L}\\p{N}-]*(?:\\.[\\p{L}\\p{N}-]+)*\\.(?:${COMMON_TLDS})(?![\\p{L}\\p{N}-])(?:\\/[^\\s<>()"'|,]*)?`,
  "giu",
);

function withoutLinks(line: string): string {
  return line.replace(EMAIL, " ").replace(URL, " ");
}

function hasLink(line: string): boolean {
  EMAIL.lastIndex = 0;
  URL.lastIndex = 0;
  const found = EMAIL.test(line) || URL.test(line);
  EMAIL.lastIndex = 0;
  URL.lastIndex = 0;
  return found;
}

function legalFormCompany(text: string): boolean {
  const trimmed = text.trim();
  if (!LEGAL_FORM.test(trimmed)) return false;
  // The name before the legal form: "Fabrikam AB", "3M Svenska AB"; not "AB" alone.
  return /^[\p{Lu}\p{N}]/u.test(trimmed) && trimmed.split(/\s+/).length <= 8;
}

/** The distinctive label of the sender's company domain: "fabrikam" for anna@fabrikam.se. */
function domainStem(address: string): string | null {
  const domain = domainOf(address);
  if (domain === "" || !domain.includes(".") || isFreeMailDomain(domain)) return null;
  const labels = domain.split(".");
  const countrySecondLevel = labels.length >= 3 && /^(?:co|com|net|org|ac)$/.test(labels.at(-2) ?? "");
  const stem = labels.at(countrySecondLevel ? -3 : -2) ?? "";
  return stem.length >= 3 ? stem.replace(/[^\p{L}\p{N}]/gu, "") : null;
}

function matchesDomainStem(text: string, stem: string | null): boolean {
  if (stem === null) return false;
  const compact = text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  if (compact.length < 3) return false;
  return compact === stem || compact.startsWith(stem) || stem.startsWith(compact);
}

function isStrongCompany(text: string, stem: string | null): boolean {
  return legalFormCompany(text) || (matchesDomainStem(text, stem) && !hasTitleKeyword(text));
}

function cleanPart(text: string): string {
  return stripDecoration(text)
    .replace(/\s+/g, " ")
    .replace(/^[,;:|•·–—-]+|[,;:|•·–—/-]+$/g, "")
    .trim();
}

/** Could this text be a job title (or a title-and-company line) rather than an address, a number or prose? */
function isSaneTitleText(text: string): boolean {
  if (text.length < 2 || text.length > 90) return false;
  if (!/\p{L}/u.test(text)) return false;
  if (text.split(/\s+/).length > 10) return false;
  if (/\d{2,}/.test(text) || /[?!:@]/.test(text)) return false;
  if (/\.\s*$/.test(text) && text.split(/\s+/).length > 4 && !LEGAL_FORM.test(text)) return false;
  return !hasLink(text) && !isAddress(text);
}

interface Parts {
  parts: string[];
  /** Set apart by "|", a dash or "at"/"bei"/"på"…, which mark what follows as another fact. */
  strong: boolean;
}

const STRONG_SEPARATOR = /\s*[|•·\t]\s*|\s+[–—-]\s+/;
// "Verkaufsleiter bei Contoso GmbH", "Head of Sales at Northwind": what follows these words is the employer.
const EMPLOYER_PREPOSITION = /\s+(?:at|@|bei|hos|chez)\s+(?=[\p{Lu}\p{N}])/u;
// "Salgssjef i Northwind AS", "Voditeljica prodaje u Konzum d.d.": these words also lead to places ("Säljare i
// Göteborg"), so what follows them is the employer only when it reads as a company.
const PLACE_OR_EMPLOYER_PREPOSITION = /\s+(?:i|u|på|vid)\s+(?=[\p{Lu}\p{N}])/u;

function splitParts(line: string, stem: string | null): Parts {
  let strong = false;
  const parts: string[] = [];
  const strongParts = line.split(STRONG_SEPARATOR);
  if (strongParts.length > 1) strong = true;
  for (const strongPart of strongParts) {
    const employer = EMPLOYER_PREPOSITION.exec(strongPart);
    const placeOrEmployer = employer ?? PLACE_OR_EMPLOYER_PREPOSITION.exec(strongPart);
    const after =
      placeOrEmployer === null ? "" : strongPart.slice(placeOrEmployer.index + placeOrEmployer[0].length);
    if (placeOrEmployer !== null && (employer !== null || isStrongCompany(cleanPart(after), stem))) {
      parts.push(strongPart.slice(0, placeOrEmployer.index), after);
      strong = true;
      continue;
    }
    parts.push(strongPart);
  }
  return { parts: parts.map(cleanPart).filter((part) => part !== ""), strong };
}

/** Splits a comma list, keeping "Contoso, Inc." whole: a legal form alone after a comma belongs to the name. */
function commaParts(text: string): string[] {
  const pieces = text.split(/\s*,\s*/);
  const merged: string[] = [];
  for (const piece of pieces) {
    const previous = merged.at(-1);
    if (previous !== undefined && legalFormCompany(`X ${piece}`) && piece.split(/\s+/).length === 1) {
      merged[merged.length - 1] = `${previous}, ${piece}`;
    } else {
      merged.push(piece);
    }
  }
  return merged.map(cleanPart).filter((part) => part !== "");
}

interface TitleCompany {
  title: string | null;
  company: string | null;
}

/**
 * Reads a line such as "CFO, Fabrikam AB" or "Head of Sales | Northwind Traders". `trusted` says the line sits
 * right under the sender's name, where a title without a known keyword ("Tekniker") is still most likely a title.
 */
function readTitleLine(line: string, stem: string | null, trusted: boolean): TitleCompany {
  const { parts, strong } = splitParts(line, stem);
  const usable = parts.filter((part) => isSaneTitleText(part));
  let company: string | null = null;
  const titleParts: string[] = [];
  for (const [index, part] of usable.entries()) {
    const pieces = commaParts(part);
    const companyPiece: string | undefined =
      company === null ? pieces.find((piece) => isStrongCompany(piece, stem)) : undefined;
    if (companyPiece !== undefined) {
      company = companyPiece;
      const rest = pieces.filter((piece) => piece !== companyPiece).join(", ");
      if (rest !== "") titleParts.push(rest);
      continue;
    }
    const looksSeparateCompany =
      strong &&
      index > 0 &&
      company === null &&
      !hasTitleKeyword(part) &&
      !REGION_WORDS.test(part) &&
      /^[\p{Lu}\p{N}]/u.test(part) &&
      titleParts.length > 0;
    if (looksSeparateCompany) {
      company = part;
      continue;
    }
    titleParts.push(part);
  }
  let titleText = titleParts.join(", ");
  if (titleText !== "" && !hasTitleKeyword(titleText)) {
    // Without a keyword, a part is a title only by position, and a region alone is no title.
    if (!trusted || titleParts.every((part) => REGION_WORDS.test(part))) {
      titleText = "";
    }
  }
  return { title: titleText === "" ? null : titleText, company };
}

/** A line that states only the company, e.g. "Fabrikam AB" or "Fabrikam AB | Storgatan 1 | 111 22 Stockholm". */
function companyOnLine(line: string, stem: string | null): string | null {
  if (line.length > MAX_LINE_CHARS) return null;
  for (const part of splitParts(line, stem).parts) {
    for (const piece of commaParts(part)) {
      if (piece.length <= 80 && !hasLink(piece) && legalFormCompany(piece)) return piece;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Phones

type PhoneKind = "mobile" | "direct" | "general" | "switchboard" | "fax" | "other";

const LABEL_KINDS: ReadonlyMap<string, PhoneKind> = new Map<string, PhoneKind>([
  ...[
    "mobile",
    "mobil",
    "mob",
    "cell",
    "cellphone",
    "handy",
    "mobitel",
    "mobiltelefon",
    "mobilnummer",
    "mobiltlf",
    "gsm",
    "m",
    "c",
  ].map((word): [string, PhoneKind] => [word, "mobile"]),
  ...["direct", "direkt", "direktnr", "direkte", "durchwahl", "dir", "d", "dl"].map(
    (word): [string, PhoneKind] => [word, "direct"],
  ),
  ...[
    "tel",
    "tele",
    "telephone",
    "phone",
    "telefon",
    "telefonnummer",
    "tlf",
    "ph",
    "p",
    "t",
    "w",
    "work",
    "office",
    "büro",
    "kontor",
  ].map((word): [string, PhoneKind] => [word, "general"]),
  ...[
    "switchboard",
    "main",
    "växel",
    "vxl",
    "vx",
    "zentrale",
    "sentralbord",
    "sentral",
    "centrala",
    "reception",
    "hq",
  ].map((word): [string, PhoneKind] => [word, "switchboard"]),
  ...["fax", "telefax", "faks", "f"].map((word): [string, PhoneKind] => [word, "fax"]),
  ...[
    "org",
    "orgnr",
    "organisationsnummer",
    "organisasjonsnummer",
    "foretaksregisteret",
    "vat",
    "moms",
    "momsnr",
    "momsregnr",
    "mva",
    "ust",
    "idnr",
    "ustidnr",
    "steuernummer",
    "steuer",
    "hrb",
    "hra",
    "amtsgericht",
    "registergericht",
    "handelsregister",
    "iban",
    "bic",
    "swift",
    "bankgiro",
    "bg",
    "plusgiro",
    "pg",
    "konto",
    "kontonr",
    "kontonummer",
    "account",
    "oib",
    "mb",
    "mbs",
    "order",
    "ordernr",
    "ordernummer",
    "bestellnummer",
    "bestellung",
    "auftrag",
    "auftragsnummer",
    "invoice",
    "faktura",
    "fakturanr",
    "rechnung",
    "rechnungsnummer",
    "ref",
    "reference",
    "referens",
    "ticket",
    "case",
    "ärende",
    "po",
    "kundennummer",
    "kundnummer",
    "customer",
    "id",
    "reg",
    "regnr",
    "registration",
    "registered",
    "postfach",
    "postboks",
    "box",
    "plz",
    "zip",
  ].map((word): [string, PhoneKind] => [word, "other"]),
]);

const KIND_PRIORITY: readonly PhoneKind[] = ["mobile", "direct", "switchboard", "general", "fax", "other"];

/**
 * The label that applies to a number: the label words right before it ("Mobile phone:", "Tel/Fax", "Org.nr"),
 * not any word further back on the line, so that "Box 12, Stockholm, Tel 08-…" is still a phone.
 */
function labelKind(before: string): PhoneKind | null {
  const words = (before.match(/\p{L}+/gu) ?? []).slice(-4).map((word) => word.toLowerCase());
  let end = words.length - 1;
  while (end >= 0 && end >= words.length - 3 && !LABEL_KINDS.has(words[end] ?? "")) end--;
  if (end < 0 || end < words.length - 3) return null;
  const kinds = new Set<PhoneKind>();
  for (let index = end; index >= 0 && LABEL_KINDS.has(words[index] ?? ""); index--) {
    const kind = LABEL_KINDS.get(words[index] ?? "");
    if (kind !== undefined) kinds.add(kind);
  }
  // "Tel/Fax" still answers a call; "Company phone" is a phone even though "company" is no phone word.
  return KIND_PRIORITY.find((kind) => kinds.has(kind)) ?? null;
}

const RANK: Record<PhoneKind, number> = {
  mobile: 0,
  direct: 1,
  general: 2,
  switchboard: 3,
  fax: 9,
  other: 9,
};

// National mobile ranges, because the small metadata bundle cannot tell a number's type.
const MOBILE_RANGES: ReadonlyMap<string, RegExp> = new Map([
  ["46", /^7[02369]/],
  ["49", /^1[5-7]/],
  ["47", /^[49]/],
  ["385", /^9/],
  ["44", /^7[1-57-9]/],
  ["43", /^6[5-9]/],
  ["41", /^7[5-9]/],
]);

const DATE_SHAPES = [
  /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/,
  /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/,
  /^\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\.?$/,
];
// Swedish organisation and personal identity numbers.
const IDENTITY_SHAPES = [/^\d{6}-\d{4}$/, /^\d{8}-\d{4}$/];
const IBAN = /\b[A-Z]{2}\d{2}(?:\s?[A-Z\d]{4}){2,7}(?:\s?[A-Z\d]{1,4})?\b/g;
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}#/.-])(?:\+\s?)?\(?\d[\d\s().\-–/]{4,}\d/gu;
const COUNTRIES_WITH_TRUNK_ZERO: ReadonlySet<string> = new Set(["SE", "DE", "AT", "CH", "HR", "GB"]);

interface FoundPhone {
  e164: string;
  formatted: string;
  rank: number;
}

function parseCandidate(
  raw: string,
  country: CountryCode | undefined,
): { e164: string; formatted: string } | null {
  const candidate = raw.trim().replace(/[\s.\-–/(]+$/, "");
  const digits = candidate.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return null;
  if (DATE_SHAPES.some((shape) => shape.test(candidate))) return null;
  if (IDENTITY_SHAPES.some((shape) => shape.test(candidate))) return null;
  let text = candidate;
  if (/^00[1-9]/.test(text)) text = `+${text.slice(2)}`;
  if (!text.startsWith("+")) {
    if (country === undefined) return null;
    // Without a country code, only a number dialled the national way is one: 070-…, 030 …; an order number or
    // org number rarely starts with the trunk 0.
    const nationalDigits = text.replace(/\D/g, "");
    if (COUNTRIES_WITH_TRUNK_ZERO.has(country) && !nationalDigits.startsWith("0")) return null;
  }
  try {
    const phone = parsePhoneNumberFromString(text, country);
    if (phone === undefined || !phone.isValid()) return null;
    return { e164: phone.number, formatted: phone.formatInternational() };
  } catch {
    return null;
  }
}

function isMobileNumber(e164: string): boolean {
  for (const [code, range] of MOBILE_RANGES) {
    if (e164.startsWith(`+${code}`)) return range.test(e164.slice(code.length + 1));
  }
  return false;
}

function phonesOnLine(line: string, country: CountryCode | undefined): FoundPhone[] {
  if (line.length > MAX_LINE_CHARS) return [];
  const text = withoutLinks(line).replace(IBAN, " ");
  const found: FoundPhone[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(PHONE_CANDIDATE)) {
    const start = match.index;
    const raw = match[0];
    const kind = labelKind(text.slice(previousEnd, start));
    previousEnd = start + raw.length;
    if (kind === "fax" || kind === "other") continue;
    // Two numbers side by side in a flattened table: "070-123 45 67 / 08-123 456 78".
    const pieces = raw.replace(/\D/g, "").length > 15 ? raw.split(/\s+\/\s+|\s{2,}/) : [raw];
    for (const piece of pieces) {
      const parsed = parseCandidate(piece, country);
      if (parsed === null) continue;
      let rank = RANK[kind ?? "general"];
      // German numbers ending in -0 are the switchboard; the person's extension replaces the 0.
      if (kind !== "mobile" && kind !== "direct" && /-\s?0$/.test(piece.trim())) rank = RANK.switchboard;
      else if ((kind === null || kind === "general") && isMobileNumber(parsed.e164)) rank = RANK.mobile;
      found.push({ ...parsed, rank });
    }
  }
  return found;
}

function hasPhone(line: string, country: CountryCode | undefined): boolean {
  return phonesOnLine(line, country).length > 0;
}

const COUNTRY_BY_TLD: ReadonlyMap<string, CountryCode> = new Map<string, CountryCode>([
  ["se", "SE"],
  ["de", "DE"],
  ["at", "AT"],
  ["ch", "CH"],
  ["no", "NO"],
  ["hr", "HR"],
  ["uk", "GB"],
]);

function defaultCountryFor(address: string, given: string | undefined): CountryCode | undefined {
  const requested = given?.trim().toUpperCase();
  if (requested !== undefined && requested !== "" && isSupportedCountry(requested)) return requested;
  const tld =
    domainOf(address)
      .split(".")
      .findLast((label) => label !== "") ?? "";
  return COUNTRY_BY_TLD.get(tld);
}

// ---------------------------------------------------------------------------------------------------------------
// Website

const SOCIAL_SITES =
  /(?:^|\.)(?:linkedin\.com|lnkd\.in|twitter\.com|x\.com|t\.co|facebook\.com|fb\.com|fb\.me|instagram\.com|youtube\.com|youtu\.be|tiktok\.com|xing\.com|wa\.me|aka\.ms)$/;

function websiteOnLine(line: string): string | null {
  if (line.length > MAX_LINE_CHARS) return null;
  const text = line.replace(EMAIL, " ");
  for (const match of text.matchAll(URL)) {
    const domain = normalizeCompanyDomain(match[0].replace(/[.,;:]+$/, ""));
    if (domain === null || SOCIAL_SITES.test(domain) || isFreeMailDomain(domain)) continue;
    return domain;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// The signature block

interface Block {
  lines: string[];
  /** Index of the line holding the sender's name, if the block has one. */
  nameIndex: number;
  nameRest: string;
}

function isSeparatorLine(line: string): boolean {
  return /^[\s_=*~-]+$/.test(line) && !/^--\s*$/.test(line);
}

function findBlock(
  lines: readonly string[],
  matcher: NameMatcher,
  country: CountryCode | undefined,
): Block | null {
  const nonEmpty = lines.filter((line) => line !== "" && !isSeparatorLine(line));
  // A sign-off far above the end ("Thanks, Erik" opening a long reply) does not start the signature.
  const earliestSignOff = Math.max(0, nonEmpty.length - 1 - MAX_LINES_AFTER_SIGN_OFF);
  for (let index = nonEmpty.length - 1; index >= earliestSignOff; index--) {
    const signOff = matchSignOff(nonEmpty[index] ?? "", matcher);
    if (signOff === null) continue;
    const after = nonEmpty.slice(index + 1, index + 1 + MAX_BLOCK_LINES);
    const blockLines = signOff.name === null ? after : [signOff.name, ...after].slice(0, MAX_BLOCK_LINES);
    if (blockLines.length === 0) break;
    const block = locateName(blockLines, matcher, true);
    // "Thanks, Maria" names the writer even when the mailbox does not.
    return signOff.name !== null && block.nameIndex === -1 ? { ...block, nameIndex: 0 } : block;
  }
  // No sign-off: the signature is whatever sits at the very end from the sender's name or first phone on.
  const window = nonEmpty.slice(-FALLBACK_WINDOW_LINES);
  const nameAt = window.findIndex((line) => matchNameLine(line, matcher) !== null);
  if (nameAt !== -1) return locateName(window.slice(nameAt, nameAt + MAX_BLOCK_LINES), matcher, false);
  const phoneAt = window.findIndex((line) => hasPhone(line, country));
  if (phoneAt === -1) return null;
  const start = Math.max(0, phoneAt - 2);
  return { lines: window.slice(start, start + MAX_BLOCK_LINES), nameIndex: -1, nameRest: "" };
}

function locateName(lines: string[], matcher: NameMatcher, afterSignOff: boolean): Block {
  for (const [index, line] of lines.entries()) {
    if (index > 2) break;
    const name = matchNameLine(line, matcher);
    if (name !== null) {
      // "Anna" then "Anna Berg": the fuller line is the name line, and what it carries is kept.
      let last = index;
      let rest = name.rest;
      const next = lines[index + 1];
      const nextName = next === undefined ? null : matchNameLine(next, matcher);
      if (nextName !== null) {
        last = index + 1;
        rest = nextName.rest;
      }
      return { lines, nameIndex: last, nameRest: rest };
    }
  }
  // Right after a sign-off, a line that looks like a person's name is the name even when the mailbox says
  // something else (info@, or a display name that differs from how the person signs).
  const first = stripDecoration(lines[0] ?? "");
  if (afterSignOff && looksLikePersonName(first)) return { lines, nameIndex: 0, nameRest: "" };
  return { lines, nameIndex: -1, nameRest: "" };
}

function readTitleAndCompany(
  block: Block,
  stem: string | null,
  country: CountryCode | undefined,
): TitleCompany {
  let title: string | null = null;
  let company: string | null = null;
  const usable = (line: string | undefined): line is string =>
    line !== undefined &&
    line.length <= MAX_LINE_CHARS &&
    isSaneTitleText(stripDecoration(line)) &&
    !hasPhone(line, country);
  const isCompanyLine = (line: string | undefined): boolean =>
    usable(line) && (companyOnLine(line, stem) !== null || isStrongCompany(cleanPart(line), stem));

  if (block.nameRest !== "") {
    const fromName = readTitleLine(block.nameRest, stem, true);
    title = fromName.title;
    company = fromName.company;
  }

  const below = block.lines[block.nameIndex + 1];
  if (title === null && usable(below)) {
    const read = readTitleLine(below, stem, block.nameIndex !== -1);
    company ??= read.company;
    if (read.title !== null && hasTitleKeyword(read.title)) {
      title = read.title;
    } else if (read.title !== null) {
      const next = block.lines[block.nameIndex + 2];
      const nextRead = usable(next) ? readTitleLine(next, stem, false) : null;
      if (nextRead !== null && nextRead.title !== null) {
        // "Fabrikam" then "CFO": the plain line above a clear title names the company.
        title = nextRead.title;
        company ??= nextRead.company ?? (looksLikePersonName(read.title) ? null : read.title);
      } else if (read.company !== null || isCompanyLine(next)) {
        // A title without a known word ("Tekniker") is believed only in the usual name/title/company shape;
        // otherwise the line under the name may as well be a city.
        title = read.title;
      }
    }
  }

  // The title is sometimes further down or after the company line: take the first clear one.
  if (title === null) {
    for (const [index, line] of block.lines.entries()) {
      if (index <= block.nameIndex || !usable(line)) continue;
      const read = readTitleLine(line, stem, false);
      if (read.title !== null) {
        title = read.title;
        company ??= read.company;
        break;
      }
    }
  }

  if (company === null) {
    for (const [index, line] of block.lines.entries()) {
      if (index === block.nameIndex) continue;
      const text = cleanPart(line);
      // A line that is just the name of the sender's domain ("Northwind Traders" for northwindtraders.com).
      const byDomain = isSaneTitleText(text) && isStrongCompany(text, stem) ? text : null;
      const found = companyOnLine(line, stem) ?? byDomain;
      if (found !== null && found !== title) {
        company = found;
        break;
      }
    }
  }
  return { title, company };
}

/**
 * Title, company, phone numbers and website from the signature of the email's sender. Quoted history is cut
 * away first, so a signature quoted from someone else is never taken. Never throws.
 */
export function parseSignature(
  bodyText: string,
  sender: SignatureSender,
  options?: SignatureOptions,
): SignatureFacts {
  try {
    return parse(bodyText, sender, options);
  } catch {
    return emptyFacts();
  }
}

function parse(
  bodyText: string,
  sender: SignatureSender,
  options: SignatureOptions | undefined,
): SignatureFacts {
  if (typeof bodyText !== "string" || bodyText.trim() === "") return emptyFacts();
  const address = typeof sender?.address === "string" ? sender.address : "";
  const name = typeof sender?.name === "string" ? sender.name : null;
  const country = defaultCountryFor(address, options?.defaultCountry);
  const matcher = nameMatcher({ address, name });
  const stem = domainStem(address);

  const block = findBlock(tailLines(ownText(bodyText)), matcher, country);
  if (block === null) return emptyFacts();

  const { title, company } = readTitleAndCompany(block, stem, country);

  const phones: FoundPhone[] = [];
  for (const line of block.lines) {
    for (const phone of phonesOnLine(line, country)) {
      const known = phones.find((candidate) => candidate.e164 === phone.e164);
      // The same number written twice, once as "Tel" and once as "Mobile", is a mobile.
      if (known === undefined) phones.push(phone);
      else known.rank = Math.min(known.rank, phone.rank);
    }
  }
  // Stable: among equals, the order of the signature.
  phones.sort((a, b) => a.rank - b.rank);

  let website: string | null = null;
  for (const line of block.lines) {
    website = websiteOnLine(line);
    if (website !== null) break;
  }

  return {
    title,
    company,
    phones: phones.slice(0, MAX_PHONES).map((phone) => phone.formatted),
    website,
  };
}
