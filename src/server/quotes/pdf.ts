import { readFileSync } from "node:fs";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, type PDFFont, type PDFImage, type PDFPage, rgb } from "pdf-lib";
import { currencyDecimals } from "../../shared/currencies";
import { type Language, localeFor, translate } from "../../shared/languages";
import type { QuoteLine } from "../../shared/quotes";
import { quoteMessages } from "./messages";

// A quote as a PDF, written with pdf-lib. The text is set in DejaVu Sans (the dejavu-fonts-ttf package: the
// Bitstream Vera licence, free to embed), embedded as a subset: the standard PDF fonts know no Š, Ž, Ø, Å, ß,
// ć, č or đ, and a viewer without the font would draw boxes. The font comes from the package, never from the
// machine: a server without fonts installed writes the same quote.

export interface QuoteDocument {
  language: Language;
  currency: string;
  number: number;
  /** YYYY-MM-DD. */
  date: string;
  validUntil: string;
  dealName: string;
  seller: { companyName: string; address: string; vatNumber: string; contact: string };
  logo: { bytes: Uint8Array; mediaType: "image/png" | "image/jpeg" } | null;
  customer: { company: string | null; address: string | null; contact: string | null; email: string | null };
  lines: QuoteLine[];
  totals: { net: string; taxes: { rate: string; net: string; tax: string }[]; tax: string; total: string };
  terms: string;
}

const fontDirectory = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
let fonts: { regular: Buffer; bold: Buffer } | null = null;
/** Read once per process: 1.4 MB the next quote would read again. */
function fontFiles(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(path.join(fontDirectory, "DejaVuSans.ttf")),
    bold: readFileSync(path.join(fontDirectory, "DejaVuSans-Bold.ttf")),
  };
  return fonts;
}

// pdf-lib parses a font's file at every embedding (fontkit.create), a good part of a quote's time with DejaVu's
// 6,000 glyphs. A parsed font is read from by every quote of the process (each makes its own subset of it), so
// one per file serves them all, but for one thing it keeps: the glyphs it has made, each with the characters it
// was first asked for, which pdf-lib writes into the PDF's text layer (ToUnicode). A subset made one quote's Ž of
// Z and a caron, asking for the Z by its number alone: kept without a character, that Z read as another letter
// (or none) in every later quote's text, copied or searched. A glyph kept without characters takes those it is
// asked for.
//
// Its text pdf-lib lays out with fontkit's OpenType shaping (the GSUB and GPOS lookups), which was most of the
// rest of a quote's time, yet it reads no glyph position from it: it draws a string as its glyphs, each advanced
// by its own width. All that shaping changed on the page were the fi and fl ligatures, which also made "office"
// copied out of a quote come out with one "ffi" character in the middle. So each character is mapped straight
// to its glyph, after NFC, so that a letter written with a combining accent is the one accented glyph the font
// has.
const parsedFonts = new WeakMap<Uint8Array, ReturnType<typeof fontkit.create>>();
const sharedFontkit = {
  create(buffer: Uint8Array, postscriptName?: string) {
    let font = parsedFonts.get(buffer);
    if (!font) {
      const parsed = fontkit.create(buffer, postscriptName);
      const getGlyph = parsed.getGlyph.bind(parsed);
      parsed.getGlyph = (id, codePoints) => {
        const glyph = getGlyph(id, codePoints);
        if (glyph && glyph.codePoints.length === 0 && codePoints?.length) glyph.codePoints = codePoints;
        return glyph;
      };
      // A run's other fields (positions, features) pdf-lib never reads: those of an empty run serve every one.
      const empty = parsed.layout("");
      const layout: typeof parsed.layout = (text) => ({
        ...empty,
        glyphs: parsed.glyphsForString(text.normalize("NFC")),
      });
      font = Object.create(parsed, { layout: { value: layout } }) as typeof parsed;
      parsedFonts.set(buffer, font);
    }
    return font;
  },
};

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const SIZE = 9;
const LEADING = 12.5;
const grey = rgb(0.35, 0.35, 0.35);
const rule = rgb(0.75, 0.75, 0.75);

/**
 * Embeds a logo. The bytes are copied first: pdf-lib reads a JPEG through a DataView of its bytes' whole
 * ArrayBuffer, from its start, and a Buffer is often a view into a larger one (Node's pool holds every small one,
 * a driver's message the bytes it read): it would read other bytes than the picture's.
 */
const embedLogo = (pdf: PDFDocument, bytes: Uint8Array, mediaType: "image/png" | "image/jpeg") =>
  mediaType === "image/png" ? pdf.embedPng(new Uint8Array(bytes)) : pdf.embedJpg(new Uint8Array(bytes));

/** A picture's bytes as pdf-lib reads them: refused here, at the upload, rather than in a rep's quote. */
export async function checkLogo(bytes: Uint8Array, mediaType: "image/png" | "image/jpeg"): Promise<void> {
  await embedLogo(await PDFDocument.create(), bytes, mediaType);
}

/**
 * Words set into lines no wider than `maxWidth`; a word wider than a line is cut where it must be, between two
 * characters (never inside an emoji's pair). One pass, each character measured once by `widthOf`: a line is as
 * wide as its characters' widths together, as pdf-lib draws it (each glyph's advance, no kerning). Measuring the
 * rest of a long word again after each cut made a word of n characters cost n² / (a line's characters).
 */
export function wrapText(value: string, maxWidth: number, widthOf: (char: string) => number): string[] {
  const out: string[] = [];
  const space = widthOf(" ");
  for (const paragraph of value.split("\n")) {
    let line = "";
    let lineWidth = 0;
    for (const word of paragraph.split(/\s+/)) {
      if (!word) continue;
      let wordWidth = 0;
      for (const char of word) wordWidth += widthOf(char);
      if (line && lineWidth + space + wordWidth <= maxWidth) {
        line = `${line} ${word}`;
        lineWidth += space + wordWidth;
        continue;
      }
      if (line) out.push(line);
      if (wordWidth <= maxWidth) {
        line = word;
        lineWidth = wordWidth;
        continue;
      }
      line = "";
      lineWidth = 0;
      for (const char of word) {
        const charWidth = widthOf(char);
        if (line && lineWidth + charWidth > maxWidth) {
          out.push(line);
          line = "";
          lineWidth = 0;
        }
        line += char;
        lineWidth += charWidth;
      }
    }
    out.push(line);
  }
  return out;
}

/**
 * Each character's width in a font at size 1000, as pdf-lib measures it alone: kept per font file across quotes
 * (the same few hundred characters), and emptied past a bound, so text of every character there is cannot fill
 * the memory.
 */
const charWidths = new WeakMap<Uint8Array, Map<string, number>>();
const CHAR_WIDTHS_MAX = 20_000;
function charWidth(file: Uint8Array, font: PDFFont, char: string): number {
  let widths = charWidths.get(file);
  if (!widths) {
    widths = new Map();
    charWidths.set(file, widths);
  }
  let width = widths.get(char);
  if (width === undefined) {
    if (widths.size >= CHAR_WIDTHS_MAX) widths.clear();
    width = font.widthOfTextAtSize(char, 1000);
    widths.set(char, width);
  }
  return width;
}

export async function renderQuotePdf(quote: QuoteDocument): Promise<Uint8Array> {
  const words = quoteMessages[quote.language];
  const locale = localeFor(quote.language);
  const decimals = currencyDecimals(quote.currency);
  const money = new Intl.NumberFormat(locale, {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  // Exact decimals as text: Intl formats a numeric string without passing it through a float.
  const amount = (decimal: string) => money.format(decimal as `${number}`);
  const plainNumber = new Intl.NumberFormat(locale, { maximumFractionDigits: 4 });
  const figure = (decimal: string) => plainNumber.format(decimal as `${number}`);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
  const date = (day: string) => dates.format(new Date(`${day}T00:00:00Z`));

  const pdf = await PDFDocument.create();
  pdf.registerFontkit(sharedFontkit);
  pdf.setTitle(`${words.title} ${quote.number}`);
  pdf.setCreator("Rapport");
  pdf.setProducer("Rapport");
  pdf.setLanguage(localeFor(quote.language));
  const { regular: regularBytes, bold: boldBytes } = fontFiles();
  const regular = await pdf.embedFont(regularBytes, { subset: true });
  const bold = await pdf.embedFont(boldBytes, { subset: true });
  const logo: PDFImage | null = quote.logo
    ? await embedLogo(pdf, quote.logo.bytes, quote.logo.mediaType)
    : null;

  const [width, height] = A4;
  const right = width - MARGIN;
  let page: PDFPage = pdf.addPage(A4);
  let y = height - MARGIN;

  const text = (
    value: string,
    x: number,
    at: number,
    font: PDFFont = regular,
    size = SIZE,
    color = rgb(0, 0, 0),
  ) => page.drawText(value, { x, y: at, font, size, color });
  const textRight = (value: string, x: number, at: number, font: PDFFont = regular, size = SIZE) =>
    text(value, x - font.widthOfTextAtSize(value, size), at, font, size);
  const wrap = (value: string, maxWidth: number, font: PDFFont = regular, size = SIZE): string[] => {
    const file = font === bold ? boldBytes : regularBytes;
    return wrapText(value, maxWidth, (char) => (charWidth(file, font, char) * size) / 1000);
  };
  const newPageIfBelow = (needed: number) => {
    if (y - needed >= MARGIN + 20) return false;
    page = pdf.addPage(A4);
    y = height - MARGIN;
    return true;
  };

  // The head: our logo on the left, our company on the right.
  const top = y;
  if (logo) {
    const scale = Math.min(160 / logo.width, 60 / logo.height, 1);
    page.drawImage(logo, {
      x: MARGIN,
      y: top - logo.height * scale,
      width: logo.width * scale,
      height: logo.height * scale,
    });
  }
  // Every text that comes from outside is wrapped to its column (a name may have 200 characters, an address a
  // thousand in as many lines as it likes): nothing runs past the paper's edge, where a reader never sees it.
  let sellerY = top - SIZE;
  const sellerLines = [
    ...wrap(quote.seller.address, 200),
    ...(quote.seller.vatNumber ? wrap(`${words.vatNumber} ${quote.seller.vatNumber}`, 200) : []),
    ...wrap(quote.seller.contact, 200),
  ].filter(Boolean);
  for (const line of quote.seller.companyName ? wrap(quote.seller.companyName, 250, bold, 11) : []) {
    textRight(line, right, sellerY, bold, 11);
    sellerY -= LEADING + 2;
  }
  for (const line of sellerLines) {
    textRight(line, right, sellerY);
    sellerY -= LEADING;
  }
  y = Math.min(sellerY, top - 70) - 20;

  // The title, with the quote's number and dates.
  text(words.title, MARGIN, y, bold, 20);
  y -= 28;
  const facts: [string, string][] = [
    [words.number, String(quote.number)],
    [words.date, date(quote.date)],
    [words.validUntil, date(quote.validUntil)],
  ];
  const factsY = y;
  for (const [label, value] of facts) {
    text(label, right - 220, y, regular, SIZE, grey);
    textRight(value, right, y);
    y -= LEADING;
  }
  const belowFacts = y;
  // The customer, beside the facts, going on over the page if their address is that long.
  const firstPage = page;
  y = factsY;
  text(words.customer, MARGIN, y, regular, SIZE, grey);
  y -= LEADING;
  const customerLines: [string, PDFFont][] = [
    ...(quote.customer.company ? wrap(quote.customer.company, 230, bold) : []).map(
      (line): [string, PDFFont] => [line, bold],
    ),
    ...[quote.customer.address, quote.customer.contact, quote.customer.email]
      .flatMap((value) => (value ? wrap(value, 230) : []))
      .map((line): [string, PDFFont] => [line, regular]),
  ].filter(([line]) => line);
  for (const [line, font] of customerLines) {
    newPageIfBelow(LEADING);
    text(line, MARGIN, y, font);
    y -= LEADING;
  }
  if (page === firstPage) y = Math.min(y, belowFacts);
  y -= 14;
  for (const line of wrap(`${words.concerning}: ${quote.dealName}`, right - MARGIN)) {
    newPageIfBelow(LEADING);
    text(line, MARGIN, y);
    y -= LEADING;
  }
  y -= 10;

  // The lines: a description that wraps, then figures aligned on their right edge.
  // Figures' columns are named by their right edge, where their digits line up; the unit by its left edge.
  const columns = {
    description: MARGIN,
    quantity: MARGIN + 220,
    unit: MARGIN + 228,
    unitPrice: MARGIN + 345,
    discount: MARGIN + 395,
    amount: right,
  };
  const descriptionWidth = 180;
  const HEADER_SIZE = 8;
  const header = () => {
    text(words.description, columns.description, y, bold, HEADER_SIZE);
    textRight(words.quantity, columns.quantity, y, bold, HEADER_SIZE);
    text(words.unit, columns.unit, y, bold, HEADER_SIZE);
    textRight(words.unitPrice, columns.unitPrice, y, bold, HEADER_SIZE);
    textRight(words.discount, columns.discount, y, bold, HEADER_SIZE);
    textRight(`${words.amount} (${quote.currency})`, columns.amount, y, bold, HEADER_SIZE);
    y -= 5;
    page.drawLine({ start: { x: MARGIN, y }, end: { x: right, y }, thickness: 0.5, color: rule });
    y -= LEADING;
  };
  header();
  for (const line of quote.lines) {
    const description = wrap(line.name, descriptionWidth);
    if (newPageIfBelow(description.length * LEADING)) header();
    textRight(figure(line.quantity), columns.quantity, y);
    if (line.unit) text(wrap(line.unit, 60)[0] ?? "", columns.unit, y);
    textRight(amount(line.unitPrice), columns.unitPrice, y);
    textRight(line.discountPercent === "0" ? "" : `${figure(line.discountPercent)} %`, columns.discount, y);
    textRight(amount(line.net), columns.amount, y);
    for (const part of description) {
      text(part, columns.description, y);
      y -= LEADING;
    }
    y -= 3;
  }
  page.drawLine({
    start: { x: MARGIN, y: y + LEADING - 4 },
    end: { x: right, y: y + LEADING - 4 },
    thickness: 0.5,
    color: rule,
  });

  // The totals: before tax, the tax per rate, the tax, the total.
  newPageIfBelow((quote.totals.taxes.length + 4) * LEADING);
  y -= 4;
  const totalLine = (label: string, value: string, font: PDFFont = regular, size = SIZE) => {
    // A quote with many tax rates goes on over the page: none of its totals falls off the paper's foot.
    newPageIfBelow(LEADING + (size - SIZE));
    // Labels line up on one edge, moved left of a value wider than the column (a thirteen-digit total).
    textRight(label, Math.min(right - 100, right - font.widthOfTextAtSize(value, size) - 12), y, font, size);
    textRight(value, columns.amount, y, font, size);
    y -= LEADING + (size - SIZE);
  };
  totalLine(words.totalBeforeTax, amount(quote.totals.net));
  for (const rate of quote.totals.taxes)
    totalLine(
      translate(words.taxAtRate, { rate: figure(rate.rate), net: amount(rate.net) }),
      amount(rate.tax),
    );
  totalLine(words.tax, amount(quote.totals.tax));
  y -= 2;
  totalLine(words.total, `${quote.currency}\u00a0${amount(quote.totals.total)}`, bold, 11);

  // The terms, in as many lines and pages as they take.
  if (quote.terms) {
    y -= 16;
    newPageIfBelow(2 * LEADING);
    text(words.terms, MARGIN, y, bold);
    y -= LEADING;
    for (const line of wrap(quote.terms, right - MARGIN)) {
      newPageIfBelow(LEADING);
      text(line, MARGIN, y);
      y -= LEADING;
    }
  }

  const pages = pdf.getPages();
  pages.forEach((each, i) => {
    const label = translate(words.page, { page: i + 1, pages: pages.length });
    each.drawText(label, {
      x: right - regular.widthOfTextAtSize(label, 8),
      y: MARGIN - 20,
      font: regular,
      size: 8,
      color: grey,
    });
  });
  return pdf.save();
}
