// Rapport keeps a short plain-text excerpt of each email on the timeline. Email HTML is untrusted, so it is never
// rendered or stored: it is read as text by a small linear scanner that cannot be made to run away.

/** Marks a block boundary until the end, when runs of them become a single line break. */
const BLOCK_BREAK = "\u0000";

const BLOCK_BREAK_RUN = new RegExp(`[ ${BLOCK_BREAK}]*${BLOCK_BREAK}[ ${BLOCK_BREAK}]*`, "g");
const BLOCK_BREAK_AFTER_NEWLINE = new RegExp(`\n${BLOCK_BREAK}`, "g");
const LEADING_BLOCK_BREAK = new RegExp(`^${BLOCK_BREAK}`);

// Starting or ending one of these starts a new line: <p>a</p><p>b</p> reads "a\nb".
const BLOCK_TAGS: ReadonlySet<string> = new Set([
  "p",
  "div",
  "tr",
  "li",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "table",
  "ul",
  "ol",
  "dl",
  "dt",
  "dd",
  "blockquote",
  "pre",
  "hr",
  "address",
  "center",
  "section",
  "article",
  "header",
  "footer",
  "main",
  "nav",
  "aside",
  "figure",
  "figcaption",
  "form",
  "fieldset",
  "caption",
]);
// Table cells sit side by side; without a gap "Name</td><td>Anna" would read "NameAnna".
const CELL_TAGS: ReadonlySet<string> = new Set(["td", "th"]);
// Elements whose content is never shown to the reader.
const HIDDEN_CONTENT_TAGS: ReadonlySet<string> = new Set([
  "script",
  "style",
  "title",
  "template",
  "noscript",
]);

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  // Kept as U+00A0 until the end so that Outlook's <p>&nbsp;</p> spacer still counts as a line.
  nbsp: "\u00a0",
  ensp: " ",
  emsp: " ",
  thinsp: " ",
  shy: "",
  zwsp: "",
  zwnj: "",
  zwj: "",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  bull: "•",
  middot: "·",
  copy: "©",
  reg: "®",
  trade: "™",
  deg: "°",
  plusmn: "±",
  times: "×",
  divide: "÷",
  sect: "§",
  para: "¶",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  laquo: "«",
  raquo: "»",
  lsquo: "‘",
  rsquo: "’",
  sbquo: "‚",
  ldquo: "“",
  rdquo: "”",
  bdquo: "„",
  auml: "ä",
  Auml: "Ä",
  ouml: "ö",
  Ouml: "Ö",
  uuml: "ü",
  Uuml: "Ü",
  aring: "å",
  Aring: "Å",
  oslash: "ø",
  Oslash: "Ø",
  aelig: "æ",
  AElig: "Æ",
  szlig: "ß",
  eacute: "é",
  Eacute: "É",
  egrave: "è",
  Egrave: "È",
  aacute: "á",
  Aacute: "Á",
  agrave: "à",
  Agrave: "À",
  ccedil: "ç",
  Ccedil: "Ç",
  ntilde: "ñ",
  Ntilde: "Ñ",
  scaron: "š",
  Scaron: "Š",
  zcaron: "ž",
  Zcaron: "Ž",
  ccaron: "č",
  Ccaron: "Č",
  cacute: "ć",
  Cacute: "Ć",
  dstrok: "đ",
  Dstrok: "Đ",
};

// HTML reads &#128;–&#159; as Windows-1252, which is what Word and Outlook mean by them (&#150; is an en dash).
const WINDOWS_1252_C1: readonly (string | undefined)[] = [
  "€",
  undefined,
  "‚",
  "ƒ",
  "„",
  "…",
  "†",
  "‡",
  "ˆ",
  "‰",
  "Š",
  "‹",
  "Œ",
  undefined,
  "Ž",
  undefined,
  undefined,
  "‘",
  "’",
  "“",
  "”",
  "•",
  "–",
  "—",
  "˜",
  "™",
  "š",
  "›",
  "œ",
  undefined,
  "ž",
  "Ÿ",
];

// Runs of whitespace to collapse into one space, leaving out those that are one already: replacing every gap
// between two words with itself made a replacement per word, and a long text slow.
const HTML_WHITESPACE_RUN = /[\t\n\r\f][ \t\n\r\f]*| [ \t\n\r\f]+/g;
const SPACE_RUN = /\t[ \t]*| [ \t]+/g;

const ENTITY = /&#(\d+);?|&#[xX]([0-9a-fA-F]+);?|&([A-Za-z][A-Za-z0-9]*);/g;
// Tab and line feed carry layout; every other control character is noise from broken encodings.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function fromCodePoint(codePoint: number): string {
  if (codePoint >= 0x80 && codePoint <= 0x9f) {
    const mapped = WINDOWS_1252_C1[codePoint - 0x80];
    if (mapped !== undefined) return mapped;
  }
  if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
    return "\ufffd";
  return String.fromCodePoint(codePoint);
}

function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY, (match, decimal?: string, hex?: string, name?: string) => {
    if (decimal !== undefined) return fromCodePoint(Number.parseInt(decimal, 10));
    if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
    return (
      (name !== undefined && Object.hasOwn(NAMED_ENTITIES, name) ? NAMED_ENTITIES[name] : undefined) ?? match
    );
  });
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isTagNameChar(code: number): boolean {
  return isAsciiLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x3a || code === 0x2d;
}

const CLOSING_TAG = new Map<string, RegExp>();

/** Where the element that starts before `from` ends, found case-insensitively; html.length if it never does. */
function endOfElement(html: string, from: number, name: string): number {
  let closing = CLOSING_TAG.get(name);
  if (closing === undefined) {
    closing = new RegExp(`</${name}(?=[\\s/>])`, "gi");
    CLOSING_TAG.set(name, closing);
  }
  closing.lastIndex = from;
  const match = closing.exec(html);
  if (match === null) return html.length;
  const gt = html.indexOf(">", match.index);
  return gt === -1 ? html.length : gt + 1;
}

/** Where the <head> that starts before `from` ends: at </head>, or where <body> begins; -1 if neither. */
function endOfHead(html: string, from: number): number {
  const boundary = /<\/head\s*>|<body(?=[\s/>])/gi;
  boundary.lastIndex = from;
  const match = boundary.exec(html);
  if (match === null) return -1;
  return match[0].startsWith("</") ? match.index + match[0].length : match.index;
}

/** Email HTML as readable plain text: line breaks where blocks end, no markup, entities decoded. */
export function htmlToText(html: string): string {
  const out: string[] = [];
  let preDepth = 0;

  const emitText = (raw: string): void => {
    // Outside <pre>, a newline in HTML source is just a space; the markup decides where lines break.
    const spaced = preDepth > 0 ? raw.replace(/\r\n?/g, "\n") : raw.replace(HTML_WHITESPACE_RUN, " ");
    out.push(decodeEntities(spaced).replace(CONTROL_CHARACTERS, ""));
  };

  // Every step moves past what it examined, and every search that fails ends the scan or is not repeated,
  // so this is linear even for hostile input.
  let headCanEnd = true;
  // Text runs from textStart to the next markup; a "<" that starts none stays inside the run, so "a < b < c" is
  // read in one piece rather than a piece per "<".
  let textStart = 0;
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt === -1) break;
    i = lt;
    const next = html.charCodeAt(i + 1);
    const closing = next === 0x2f;
    const nameStart = closing ? i + 2 : i + 1;
    // "a < b" is text.
    if (next !== 0x21 && next !== 0x3f && !closing && !isAsciiLetter(html.charCodeAt(nameStart))) {
      i++;
      continue;
    }
    if (lt > textStart) emitText(html.slice(textStart, lt));
    textStart = html.length;

    if (html.startsWith("<!--", i)) {
      const end = html.indexOf("-->", i + 4);
      i = end === -1 ? html.length : end + 3;
      textStart = i;
      continue;
    }
    if (next === 0x21 || next === 0x3f || !isAsciiLetter(html.charCodeAt(nameStart))) {
      // <!DOCTYPE>, <![if mso]>, <?xml?> and </ 3> are markup without text.
      const end = html.indexOf(">", i + 2);
      i = end === -1 ? html.length : end + 1;
      textStart = i;
      continue;
    }

    let nameEnd = nameStart;
    while (nameEnd < html.length && isTagNameChar(html.charCodeAt(nameEnd))) nameEnd++;
    const name = html.slice(nameStart, nameEnd).toLowerCase();
    const gt = html.indexOf(">", nameEnd);
    // A tag cut off by the end of the input is dropped, as a browser would, so no markup leaks into the text.
    if (gt === -1) break;
    i = gt + 1;
    textStart = i;

    if (closing) {
      if (name === "pre") preDepth = Math.max(0, preDepth - 1);
    } else if (HIDDEN_CONTENT_TAGS.has(name)) {
      i = endOfElement(html, i, name);
      textStart = i;
      continue;
    } else if (name === "head" && headCanEnd) {
      const end = endOfHead(html, i);
      // Without </head> or <body> there is no telling where the head ends; showing its text beats losing the body.
      if (end === -1) headCanEnd = false;
      else i = end;
      textStart = i;
      continue;
    } else if (name === "pre") {
      preDepth++;
    }

    // Browsers read a stray </br> as <br>, and Outlook produces it.
    if (name === "br") out.push("\n");
    else if (BLOCK_TAGS.has(name)) out.push(BLOCK_BREAK);
    else if (CELL_TAGS.has(name)) out.push(" ");
  }
  if (textStart < html.length) emitText(html.slice(textStart));

  const text = out
    .join("")
    .replace(SPACE_RUN, " ")
    // Nested blocks (<div><p>…</p></div>) and a <br> that ends a block produce one line break, not several.
    .replace(BLOCK_BREAK_RUN, BLOCK_BREAK)
    .replace(BLOCK_BREAK_AFTER_NEWLINE, "\n")
    .replace(LEADING_BLOCK_BREAK, "")
    .replaceAll(BLOCK_BREAK, "\n")
    .replaceAll("\u00a0", " ");
  return text
    .split("\n")
    .map((line) => line.replace(SPACE_RUN, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export const EXCERPT_MAX_BYTES = 8192;
/**
 * The excerpt is made from this much of the body at most, and the rest is never read: 32 times the excerpt's
 * bytes leaves room for the markup and styles of an HTML mail before its text (the pane sends 16,384 characters
 * of plain text, the mailbox sync Graph's 255-character preview), and bounds the work one request can ask for.
 */
export const EXCERPT_SOURCE_MAX_CHARS = 256 * 1024;

const ELLIPSIS = "…";
const ELLIPSIS_BYTES = 3;
/** How far back a cut may move to land between words rather than inside one. */
const WORD_BOUNDARY_WINDOW_BYTES = 200;

// Only tags that plain text essentially never contains, so a plain-text mail that says "x <b y" stays as written.
const LOOKS_LIKE_HTML =
  /<\/?(?:html|head|body|div|p|br|table|tbody|tr|td|span|font|meta|style|o:p)(?=[\s/>])|<!doctype\s+html/i;

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // The text is well-formed by now, so a high surrogate always starts a four-byte pair.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function withoutTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--;
  return end === line.length ? line : line.slice(0, end);
}

function isPrintableAscii(code: number): boolean {
  return code >= 0x20 && code < 0x7f;
}

/** A character that always starts a new cluster: printable ASCII, or a tab or line feed (controls stand alone). */
function startsCluster(code: number): boolean {
  return isPrintableAscii(code) || code === 0x09 || code === 0x0a;
}

/**
 * Moves a cut back to the start of the user-perceived character it falls in, so that a flag (🇸🇪) or a family
 * emoji is not split into pieces that render as something else.
 */
function graphemeBoundaryAtOrBefore(text: string, cut: number): number {
  if (cut >= text.length) return text.length;
  if (startsCluster(text.charCodeAt(cut))) return cut;
  if (typeof Intl === "undefined" || typeof Intl.Segmenter !== "function") return cut;
  // Segmenting must start on a known boundary: flags pair up regional indicators counted from the start of a
  // run, so a window that starts mid-flag pairs every later one wrongly. The scan back is bounded by the
  // excerpt size.
  let from = cut - 1;
  while (from > 0 && !startsCluster(text.charCodeAt(from))) from--;
  from = Math.max(0, from);
  let boundary = from;
  const segments = new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(
    text.slice(from, Math.min(text.length, cut + 64)),
  );
  for (const { index } of segments) {
    if (from + index > cut) break;
    boundary = from + index;
  }
  return boundary;
}

/** A cut at the last whitespace within the final WORD_BOUNDARY_WINDOW_BYTES before `cut`, if there is one. */
function wordBoundaryBefore(text: string, cut: number): number {
  if (cut < text.length && /\s/.test(text.charAt(cut))) return cut;
  let bytes = 0;
  for (let k = cut; k > 0;) {
    const code = text.charCodeAt(k - 1);
    if (/\s/.test(text.charAt(k - 1))) return k - 1;
    const pair = code >= 0xdc00 && code <= 0xdfff && k >= 2;
    bytes += pair ? 4 : code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
    if (bytes > WORD_BOUNDARY_WINDOW_BYTES) break;
    k -= pair ? 2 : 1;
  }
  return cut;
}

function truncate(text: string, maxBytes: number): string {
  const withEllipsis = maxBytes >= ELLIPSIS_BYTES;
  const budget = withEllipsis ? maxBytes - ELLIPSIS_BYTES : maxBytes;
  // encodeInto writes whole code points only, so `read` never ends between the halves of a surrogate pair.
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(budget));
  const codePointCut = read;
  const graphemeCut = graphemeBoundaryAtOrBefore(text, codePointCut);
  const wordCut = wordBoundaryBefore(text, graphemeCut);
  let kept = text.slice(0, wordCut).trimEnd();
  if (kept === "") kept = text.slice(0, graphemeCut).trimEnd();
  return withEllipsis ? kept + ELLIPSIS : kept;
}

/**
 * The text Rapport stores for an email: plain text (HTML is converted first), tidy whitespace, and at most
 * `maxBytes` bytes of UTF-8 including the "…" that marks a cut. Only the first EXCERPT_SOURCE_MAX_CHARS of the
 * body are read; a longer body's excerpt always ends with the "…".
 */
export function textExcerpt(text: string, maxBytes: number = EXCERPT_MAX_BYTES): string {
  if (Number.isNaN(maxBytes) || maxBytes < 0)
    throw new RangeError(`maxBytes must be at least 0, got ${maxBytes}`);
  const limit = Math.floor(maxBytes);

  const sourceCut = text.length > EXCERPT_SOURCE_MAX_CHARS;
  // Cut between characters, never between the halves of one.
  const sourceEnd =
    EXCERPT_SOURCE_MAX_CHARS - (isHighSurrogate(text.charCodeAt(EXCERPT_SOURCE_MAX_CHARS - 1)) ? 1 : 0);
  const source = sourceCut ? text.slice(0, sourceEnd) : text;
  const plain = LOOKS_LIKE_HTML.test(source) ? htmlToText(source) : source;
  const tidy = plain
    .replace(LONE_SURROGATE, "\ufffd")
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL_CHARACTERS, "")
    // Line by line: /[ \t]+\n/g was retried from every space of a run with no line break after it, which took
    // seconds for tens of thousands of spaces.
    .split("\n")
    .map(withoutTrailingSpaces)
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();

  if (sourceCut) {
    // What was never read may hold more text: the excerpt says so with its "…", after what was read.
    if (limit >= ELLIPSIS_BYTES && utf8Length(tidy) <= limit - ELLIPSIS_BYTES) return tidy + ELLIPSIS;
    return truncate(tidy, limit);
  }
  // Each UTF-16 unit is at most three bytes of UTF-8, so short text needs no counting.
  if (tidy.length * 3 <= limit || utf8Length(tidy) <= limit) return tidy;
  return truncate(tidy, limit);
}
