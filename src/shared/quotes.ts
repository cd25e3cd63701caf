import { z } from "zod";
import { Id, IsoDateTime } from "./common";
import { Decimal } from "./currencies";
import { Language } from "./languages";
import { TimeZone } from "./time-zone";

// Quote documents (issue 18): an organisation's quote template (admins set it in the web app's settings) and the
// quotes made from a deal's lines, each a numbered PDF kept with the deal as a version. The PDF is written on the
// server in the customer's language: the deal's first contact's, else the organisation's (the template's).

/** The most a logo may weigh: a letterhead's picture, not a photograph. */
export const QUOTE_LOGO_MAX_BYTES = 512 * 1024;
/**
 * The most pixels a logo may have, and on a side: a letterhead's picture prints 160 × 60 points, and a PNG is
 * decoded into memory (4 bytes a pixel) at the upload and at every quote, so 512 KB of well-compressed pixels
 * (a picture of 16,000 × 16,000) must not be taken: it would fill the server's memory.
 */
export const QUOTE_LOGO_MAX_PIXELS = 4_000_000;
export const QUOTE_LOGO_MAX_SIDE = 4000;
/** Longer than any terms a quote prints on its last lines, short enough to fit a page. */
export const QUOTE_TERMS_MAX_CHARS = 4000;

const Line = (max: number) => z.string().trim().max(max);
/** Text that may run over lines (an address, the terms): at most `maxLines` lines. */
const Lines = (max: number, maxLines: number) =>
  z
    .string()
    .max(max)
    .transform((v) => v.replace(/\r\n?/g, "\n").trim())
    .refine((v) => v.split("\n").length <= maxLines, `at most ${maxLines} lines`);

/** The terms per language; a language left out prints English's (or none). */
export const QuoteTerms = z.partialRecord(Language, Lines(QUOTE_TERMS_MAX_CHARS, 40));
export type QuoteTerms = z.infer<typeof QuoteTerms>;

export const QuoteTemplateUpdate = z.strictObject({
  /** Our company's name as the quote heads it. */
  companyName: Line(200),
  address: Lines(500, 6),
  /** VAT or organisation number. */
  vatNumber: Line(100),
  /** How the customer reaches us: a phone, an address, a web site. */
  contact: Lines(300, 4),
  /** How many days a quote holds from the day it is made. */
  validityDays: z.number().int().min(1).max(365),
  /** The organisation's language: a quote for a contact without one is written in it. */
  language: Language,
  terms: QuoteTerms,
  /** The version read; 0 for a template never saved. */
  version: z.number().int().min(0),
});
export type QuoteTemplateUpdate = z.infer<typeof QuoteTemplateUpdate>;

export const QuoteLogoMediaType = z.enum(["image/png", "image/jpeg"]);

export const QuoteTemplate = z.object({
  companyName: z.string(),
  address: z.string(),
  vatNumber: z.string(),
  contact: z.string(),
  validityDays: z.number().int(),
  language: Language,
  terms: QuoteTerms,
  logo: z.object({ mediaType: QuoteLogoMediaType, bytes: z.number().int() }).nullable(),
  /** 0 until an admin first saves it. */
  version: z.number().int().min(0),
});
export type QuoteTemplate = z.infer<typeof QuoteTemplate>;

/** A PNG or JPEG in base64 (checked by its bytes, not its name), or null to remove the logo. */
export const QuoteLogoUpload = z.strictObject({
  content: z
    .string()
    .max(Math.ceil(QUOTE_LOGO_MAX_BYTES / 3) * 4 + 4, `a logo of at most ${QUOTE_LOGO_MAX_BYTES / 1024} KB`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, "the picture's bytes in base64")
    .nullable(),
});
export type QuoteLogoUpload = z.infer<typeof QuoteLogoUpload>;

export const QuoteCreate = z.strictObject({
  /** Another of the five languages than the customer's (a rep who knows better). */
  language: Language.optional(),
  /**
   * The rep's time zone: the quote is dated by their day, and holds from it. Left out, UTC's day, which in
   * Europe is still yesterday's for the first hour or two after midnight.
   */
  timeZone: TimeZone.optional(),
});
export type QuoteCreate = z.infer<typeof QuoteCreate>;

/** A line as the quote printed it, kept so the quote can be read again after the deal's lines change. */
export const QuoteLine = z.object({
  name: z.string(),
  unit: z.string().nullable(),
  quantity: Decimal,
  unitPrice: Decimal,
  discountPercent: Decimal,
  taxRate: Decimal,
  net: Decimal,
});
export type QuoteLine = z.infer<typeof QuoteLine>;

export const Quote = z.object({
  id: Id,
  dealId: Id,
  /** The organisation's quote number: 1, 2, 3, … over all its deals. */
  number: z.number().int().positive(),
  /** Which of the deal's quotes it is: 1 for the first. */
  version: z.number().int().positive(),
  language: Language,
  currency: z.string(),
  total: Decimal,
  validUntil: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  lines: z.array(QuoteLine),
  createdBy: z.object({ id: Id, displayName: z.string() }).nullable(),
  createdAt: IsoDateTime,
  /** The name its PDF downloads under. */
  filename: z.string(),
});
export type Quote = z.infer<typeof Quote>;

export const QuoteList = z.object({ items: z.array(Quote) });
export type QuoteList = z.infer<typeof QuoteList>;
