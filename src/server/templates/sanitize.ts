import sanitizeHtml from "sanitize-html";
import { TEMPLATE_HTML_MAX_CHARS } from "../../shared/templates";
import { AppError } from "../errors";

// A template's HTML is what reps paste and what ends up in customers' mailboxes, so it is cut down on save to
// what an email needs: text formatting, lists, tables, links and images. Nothing runs (no script, no event
// attribute, no javascript: address), nothing is fetched when the mail is opened except images (no style
// sheets, frames, objects, fonts or CSS `url()`), and no form asks the reader for anything. sanitize-html
// (maintained, htmlparser2 underneath) does the cutting; what it keeps is listed here and in docs/templates.md.

const TAGS = [
  "p",
  "br",
  "div",
  "span",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "s",
  "strike",
  "sub",
  "sup",
  "small",
  "mark",
  "blockquote",
  "pre",
  "code",
  "hr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "li",
  "a",
  "img",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "td",
  "th",
  "caption",
  "colgroup",
  "col",
];

// Property by property, each value by a pattern that admits no `url(`, `expression(` or escape: colours,
// lengths, alignment and font names.
const COLOUR =
  /^(#[0-9a-f]{3,8}|[a-z]{3,20}|rgba?\(\s*[\d.]+%?\s*,\s*[\d.]+%?\s*,\s*[\d.]+%?\s*(,\s*[\d.]+\s*)?\))$/i;
const LENGTH = /^(0|-?\d{1,4}(\.\d{1,3})?(px|pt|em|rem|%))$/;
const LENGTHS =
  /^(0|-?\d{1,4}(\.\d{1,3})?(px|pt|em|rem|%))( (0|-?\d{1,4}(\.\d{1,3})?(px|pt|em|rem|%))){0,3}$/;
const STYLES: Record<string, RegExp[]> = {
  color: [COLOUR],
  "background-color": [COLOUR],
  "font-size": [LENGTH, /^(x{0,2}-?small|medium|x{0,2}-?large)$/],
  "font-weight": [/^(normal|bold|bolder|lighter|[1-9]00)$/],
  "font-style": [/^(normal|italic|oblique)$/],
  "font-family": [/^[\w\s,"'-]{1,200}$/],
  "text-decoration": [/^(none|underline|line-through|overline)$/],
  "text-align": [/^(left|right|center|justify|start|end)$/],
  "vertical-align": [/^(top|middle|bottom|baseline)$/],
  "line-height": [LENGTH, /^\d{1,2}(\.\d{1,2})?$/],
  margin: [LENGTHS],
  padding: [LENGTHS],
  width: [LENGTH],
  height: [LENGTH],
  border: [/^(none|0|\d{1,2}px (solid|dashed|dotted) (#[0-9a-f]{3,8}|[a-z]{3,20}))$/i],
};

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: TAGS,
  allowedAttributes: {
    "*": ["style", "title", "dir", "lang", "align"],
    a: ["href", "name"],
    img: ["src", "alt", "width", "height"],
    td: ["colspan", "rowspan", "width", "valign"],
    th: ["colspan", "rowspan", "width", "valign", "scope"],
    table: ["width", "cellpadding", "cellspacing", "border"],
    col: ["span", "width"],
    colgroup: ["span", "width"],
    ol: ["start", "type"],
  },
  // Links may lead anywhere a mail client opens safely; only images are fetched, over http(s) or inline.
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowedSchemesByTag: { img: ["http", "https", "data"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
  allowProtocolRelative: false,
  allowedStyles: { "*": STYLES },
  disallowedTagsMode: "discard",
  // Their text is code, not words: dropped with the tag.
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "title", "template", "iframe", "object"],
};

/**
 * Deeper than this and the HTML is refused. htmlparser2 looks through its stack of open elements for each
 * closing tag, so `<b>` ten thousand times then `</i>` ten thousand times would cost a hundred million steps;
 * with the stack bounded, each closing tag costs at most this many. A real email's nesting (tables in tables, a
 * quoted reply) stays far below it.
 */
export const TEMPLATE_HTML_MAX_NESTING = 200;

/** Thrown from the parser's callbacks to stop it at once. */
class TooDeep extends Error {}

/** A template body as it is stored: sanitised, or refused (400) when it nests too deep or grows past the bound. */
export function sanitizeTemplateHtml(html: string, path: string): string {
  // The parser's own stack, followed through its callbacks: every element it opens it closes with a callback
  // (implied closes too), so this is exactly its depth.
  let depth = 0;
  let clean: string;
  try {
    clean = sanitizeHtml(html, {
      ...OPTIONS,
      onOpenTag: () => {
        depth++;
        if (depth > TEMPLATE_HTML_MAX_NESTING) throw new TooDeep();
      },
      onCloseTag: () => {
        depth--;
      },
    });
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    throw new AppError(
      "invalid_request",
      400,
      `${path} nests deeper than ${TEMPLATE_HTML_MAX_NESTING} elements.`,
      {
        errors: [{ path, message: `nests deeper than ${TEMPLATE_HTML_MAX_NESTING} elements` }],
      },
    );
  }
  if (clean.length > TEMPLATE_HTML_MAX_CHARS)
    throw new AppError(
      "invalid_request",
      400,
      `${path} is longer than ${TEMPLATE_HTML_MAX_CHARS} characters.`,
      {
        errors: [{ path, message: `longer than ${TEMPLATE_HTML_MAX_CHARS} characters once sanitised` }],
      },
    );
  return clean;
}
