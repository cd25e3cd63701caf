import { inflateSync } from "node:zlib";
import { type Kysely, sql } from "kysely";
import type { Language } from "../../shared/languages";
import type {
  Quote,
  QuoteCreate,
  QuoteLine,
  QuoteLogoUpload,
  QuoteTemplate,
  QuoteTemplateUpdate,
} from "../../shared/quotes";
import { QUOTE_LOGO_MAX_BYTES, QUOTE_LOGO_MAX_PIXELS, QUOTE_LOGO_MAX_SIDE } from "../../shared/quotes";
import { recordAudit } from "../audit";
import type { DB } from "../db/tables";
import { withCurrencyDecimals } from "../../shared/currencies";
import { localDay } from "../dashboard/local-day";
import { getDealLines } from "../deals/lines";
import { AppError, notFound } from "../errors";
import type { DocumentFile } from "../http/route";
import { fieldRefused } from "../products/service";
import { type Scope, iso } from "../scope";
import { requireAdmin } from "../users/service";
import { type QuoteDocument, checkLogo, renderQuotePdf } from "./pdf";

// Quote documents: the organisation's template, and a deal's lines made into a numbered PDF kept as the deal's
// next quote version. Everyone in the organisation makes quotes; admins set the template.

const DEFAULT_TEMPLATE: Omit<QuoteTemplate, "logo" | "version"> = {
  companyName: "",
  address: "",
  vatNumber: "",
  contact: "",
  validityDays: 30,
  language: "en",
  terms: {},
};

async function templateRow(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom("quote_templates")
    .select([
      "company_name",
      "address",
      "vat_number",
      "contact",
      "validity_days",
      "language",
      "terms",
      "logo_type",
      sql<number | null>`octet_length(logo)`.as("logo_bytes"),
      "version",
    ])
    .where("org_id", "=", orgId)
    .executeTakeFirst();
}

export async function getQuoteTemplate(scope: Scope): Promise<QuoteTemplate> {
  const row = await templateRow(scope.db, scope.caller.orgId);
  if (!row) return { ...DEFAULT_TEMPLATE, logo: null, version: 0 };
  return {
    companyName: row.company_name,
    address: row.address,
    vatNumber: row.vat_number,
    contact: row.contact,
    validityDays: row.validity_days,
    language: row.language,
    terms: row.terms,
    logo: row.logo_type ? { mediaType: row.logo_type, bytes: Number(row.logo_bytes) } : null,
    // The row may have been made by a quote's number before an admin ever saved the template.
    version: row.version,
  };
}

/** The template row as it stands, locked for the change; made (at version 1) if the organisation has none. */
async function lockTemplate(tx: Kysely<DB>, orgId: string): Promise<{ version: number; fresh: boolean }> {
  const existing = await tx
    .selectFrom("quote_templates")
    .select("version")
    .where("org_id", "=", orgId)
    .forUpdate()
    .executeTakeFirst();
  if (existing) return { version: existing.version, fresh: false };
  await tx
    .insertInto("quote_templates")
    .values({ org_id: orgId })
    .onConflict((c) => c.doNothing())
    .execute();
  const made = await tx
    .selectFrom("quote_templates")
    .select("version")
    .where("org_id", "=", orgId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { version: made.version, fresh: true };
}

export async function updateQuoteTemplate(scope: Scope, input: QuoteTemplateUpdate): Promise<QuoteTemplate> {
  const { orgId } = scope.caller;
  await requireAdmin(scope.db, scope.caller, "sets the quote template");
  return scope.db.transaction().execute(async (tx) => {
    const txScope = { ...scope, db: tx };
    const row = await tx
      .selectFrom("quote_templates")
      .select(["version", "company_name"])
      .where("org_id", "=", orgId)
      .forUpdate()
      .executeTakeFirst();
    // A quote's counter may have made the row before any admin saved it: its version is what GET showed.
    const current = row?.version ?? 0;
    if (current !== input.version)
      throw new AppError(
        "version_conflict",
        409,
        "Someone changed the quote template meanwhile: read it again, then save.",
        { current: await getQuoteTemplate(txScope) },
      );
    const values = {
      company_name: input.companyName,
      address: input.address,
      vat_number: input.vatNumber,
      contact: input.contact,
      validity_days: input.validityDays,
      language: input.language,
      terms: JSON.stringify(dropEmpty(input.terms)),
    };
    if (row)
      await tx
        .updateTable("quote_templates")
        .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
        .where("org_id", "=", orgId)
        .execute();
    else
      await tx
        .insertInto("quote_templates")
        .values({ org_id: orgId, ...values })
        .execute();
    await recordAudit(tx, scope.caller, "quote_template.updated", { type: "organization", id: orgId });
    return getQuoteTemplate(txScope);
  });
}

const dropEmpty = (terms: QuoteTemplateUpdate["terms"]) =>
  Object.fromEntries(Object.entries(terms).filter(([, text]) => text));

/** What the first bytes of a PNG and of a JPEG are: the file's own word, not its name's. */
function pictureType(bytes: Buffer): "image/png" | "image/jpeg" | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return "image/png";
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  return null;
}

/**
 * A picture's width and height as its header says, read before anything decodes it (a PNG is inflated whole by
 * its size, whatever its file weighs); null when the header cannot be found. A JPEG's segments are walked to its
 * frame header (SOF0–SOF15 but DHT, JPG and DAC), each step a jump: linear in the file at worst.
 */
export function pictureSize(
  bytes: Buffer,
  type: "image/png" | "image/jpeg",
): { width: number; height: number } | null {
  if (type === "image/png") {
    // The signature, then IHDR first of all chunks: its length (13), its type, width and height.
    if (bytes.length < 24 || bytes.toString("latin1", 12, 16) !== "IHDR") return null;
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1] as number;
    // Fill bytes, and markers that stand alone (no length): the next byte starts the next marker.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2;
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2) return null;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > bytes.length) return null;
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  return null;
}

/** Channels per pixel of each PNG colour type: grey, RGB, palette, grey and alpha, RGBA. */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Whether a PNG's pixel data inflates to no more than its size needs. Its header's size bounds the memory a
 * decoder takes, not its work: 400 KB of IDAT inflates to 400 MB whatever the header says, seconds of the event
 * loop at the upload and at every quote after. Inflated here by zlib with a ceiling, so a bomb stops at it.
 */
function pngDataFits(bytes: Buffer, size: { width: number; height: number }): boolean {
  const depth = bytes[24] as number;
  const channels = PNG_CHANNELS[bytes[25] as number];
  if (!channels) return false;
  const lineBytes = Math.ceil((size.width * channels * depth) / 8);
  // One filter byte a line; an interlaced picture's seven passes take a few more: twice is room enough.
  const ceiling = 2 * (lineBytes + 1) * size.height + 1024;
  const data: Buffer[] = [];
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    if (type === "IDAT") data.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === "IEND") break;
    at += 12 + length;
  }
  try {
    inflateSync(Buffer.concat(data), { maxOutputLength: ceiling });
    return true;
  } catch {
    return false;
  }
}

const logoFits = (size: { width: number; height: number } | null): boolean =>
  size !== null &&
  size.width <= QUOTE_LOGO_MAX_SIDE &&
  size.height <= QUOTE_LOGO_MAX_SIDE &&
  size.width * size.height <= QUOTE_LOGO_MAX_PIXELS;

export async function setQuoteLogo(scope: Scope, input: QuoteLogoUpload): Promise<QuoteTemplate> {
  const { orgId } = scope.caller;
  await requireAdmin(scope.db, scope.caller, "sets the quotes' logo");
  let logo: { bytes: Buffer; type: "image/png" | "image/jpeg" } | null = null;
  if (input.content !== null) {
    const bytes = Buffer.from(input.content, "base64");
    if (bytes.length === 0) throw fieldRefused("body.content", "an empty file");
    if (bytes.length > QUOTE_LOGO_MAX_BYTES)
      throw fieldRefused("body.content", `a logo of at most ${QUOTE_LOGO_MAX_BYTES / 1024} KB`, 413);
    const type = pictureType(bytes);
    if (!type) throw fieldRefused("body.content", "not a PNG or JPEG picture", 415);
    const size = pictureSize(bytes, type);
    if (!size) throw fieldRefused("body.content", "the picture cannot be read as a PNG or JPEG", 422);
    if (!logoFits(size))
      throw fieldRefused(
        "body.content",
        `a picture of ${size.width} × ${size.height} pixels: a logo has at most ${QUOTE_LOGO_MAX_SIDE} on a side and ${QUOTE_LOGO_MAX_PIXELS / 1_000_000} million in all`,
        422,
      );
    if (type === "image/png" && !pngDataFits(bytes, size))
      throw fieldRefused(
        "body.content",
        `the picture's data is more than ${size.width} × ${size.height} pixels take, or cannot be read`,
        422,
      );
    // A picture that starts right but cannot be read would fail every quote after: refused now.
    try {
      await checkLogo(bytes, type);
    } catch {
      throw fieldRefused("body.content", "the picture cannot be read as a PNG or JPEG", 422);
    }
    logo = { bytes, type };
  }
  return scope.db.transaction().execute(async (tx) => {
    await lockTemplate(tx, orgId);
    await tx
      .updateTable("quote_templates")
      .set({
        logo: logo?.bytes ?? null,
        logo_type: logo?.type ?? null,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      logo ? "quote_template.logo_set" : "quote_template.logo_removed",
      { type: "organization", id: orgId },
      logo ? { bytes: logo.bytes.length, type: logo.type } : {},
    );
    return getQuoteTemplate({ ...scope, db: tx });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Quotes

const day = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (isoDay: string, days: number) =>
  day(new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * 86_400_000));

/** The PDF's file name: its number and the deal's name in plain letters, safe in any header and file system. */
export function quoteFilename(number: number, dealName: string): string {
  const slug = dealName
    .replace(/ß/g, "ss")
    .replace(/[Øø]/g, "o")
    .replace(/[Đđ]/g, "d")
    .replace(/[Ææ]/g, "ae")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .toLowerCase()
    .slice(0, 60)
    .replace(/^-+|-+$/g, "");
  return slug ? `quote-${number}-${slug}` : `quote-${number}`;
}

interface QuoteRow {
  id: string;
  deal_id: string;
  number: number;
  version: number;
  language: Language;
  currency: string;
  total: string;
  valid_until: string;
  lines: unknown;
  created_by: string | null;
  creator_name: string | null;
  created_at: Date;
  deal_name: string;
}

function selectQuotes(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom("quotes as q")
    .innerJoin("deals as d", (join) =>
      join.onRef("d.id", "=", "q.deal_id").onRef("d.org_id", "=", "q.org_id"),
    )
    .leftJoin("users as u", (join) =>
      join.onRef("u.id", "=", "q.created_by").onRef("u.org_id", "=", "q.org_id"),
    )
    .select([
      "q.id",
      "q.deal_id",
      "q.number",
      "q.version",
      "q.language",
      "q.currency",
      sql<string>`q.total::text`.as("total"),
      sql<string>`q.valid_until::text`.as("valid_until"),
      "q.lines",
      "q.created_by",
      sql<string | null>`coalesce(u.display_name, u.email)`.as("creator_name"),
      "q.created_at",
      "d.name as deal_name",
    ])
    .where("q.org_id", "=", orgId);
}

const toQuote = (row: QuoteRow): Quote => ({
  id: row.id,
  dealId: row.deal_id,
  number: row.number,
  version: row.version,
  language: row.language,
  currency: row.currency,
  // numeric(17, 4) reads "1250.0000": written with the currency's decimals, as every amount the API answers.
  total: withCurrencyDecimals(row.total, row.currency),
  validUntil: row.valid_until,
  lines: row.lines as QuoteLine[],
  createdBy: row.created_by ? { id: row.created_by, displayName: row.creator_name ?? "" } : null,
  createdAt: iso(row.created_at),
  filename: `${quoteFilename(row.number, row.deal_name)}.pdf`,
});

export async function listDealQuotes(scope: Scope, dealId: string): Promise<{ items: Quote[] }> {
  const { orgId } = scope.caller;
  const deal = await scope.db
    .selectFrom("deals")
    .select("id")
    .where("org_id", "=", orgId)
    .where("id", "=", dealId)
    .executeTakeFirst();
  if (!deal) throw notFound("The deal");
  const rows = await selectQuotes(scope.db, orgId)
    .where("q.deal_id", "=", dealId)
    .orderBy("q.version", "desc")
    .execute();
  return { items: rows.map(toQuote) };
}

export async function downloadQuote(scope: Scope, quoteId: string): Promise<DocumentFile> {
  const { orgId } = scope.caller;
  const row = await scope.db
    .selectFrom("quotes as q")
    .innerJoin("deals as d", (join) =>
      join.onRef("d.id", "=", "q.deal_id").onRef("d.org_id", "=", "q.org_id"),
    )
    .select(["q.pdf", "q.number", "d.name"])
    .where("q.org_id", "=", orgId)
    .where("q.id", "=", quoteId)
    .executeTakeFirst();
  if (!row) throw notFound("The quote");
  return { name: quoteFilename(row.number, row.name), bytes: row.pdf };
}

/** Everything a quote prints but its number, version and date: read once, outside the transaction that numbers it. */
async function quoteContent(scope: Scope, dealId: string, input: QuoteCreate) {
  const { orgId } = scope.caller;
  const deal = await scope.db
    .selectFrom("deals as d")
    .leftJoin("companies as c", (join) =>
      join.onRef("c.id", "=", "d.company_id").onRef("c.org_id", "=", "d.org_id"),
    )
    .select(["d.id", "d.name", "d.company_id", "c.name as company_name", "c.address as company_address"])
    .where("d.org_id", "=", orgId)
    .where("d.id", "=", dealId)
    .executeTakeFirst();
  if (!deal) throw notFound("The deal");
  const lines = await getDealLines(scope, dealId);
  if (lines.lines.length === 0 || !lines.currency)
    throw fieldRefused(
      "deal.lines",
      "the deal has no lines: a quote lists a deal's lines, add some first",
      422,
    );
  // The customer: the deal's contact at its company first, then any of its contacts, by name.
  const contact = await scope.db
    .selectFrom("deal_contacts as dc")
    .innerJoin("contacts as k", (join) =>
      join.onRef("k.id", "=", "dc.contact_id").onRef("k.org_id", "=", "dc.org_id"),
    )
    .select([
      "k.id",
      "k.display_name",
      "k.language",
      (eb) =>
        eb
          .selectFrom("contact_emails as e")
          .select("e.address")
          .whereRef("e.contact_id", "=", "k.id")
          .whereRef("e.org_id", "=", "k.org_id")
          .orderBy("e.position")
          .limit(1)
          .as("email"),
    ])
    .where("dc.org_id", "=", orgId)
    .where("dc.deal_id", "=", dealId)
    .orderBy(sql`(k.company_id is not distinct from ${deal.company_id})`, "desc")
    .orderBy("k.display_name")
    .orderBy("k.id")
    .limit(1)
    .executeTakeFirst();
  const template = await getQuoteTemplate(scope);
  const logoRow = template.logo
    ? await scope.db
        .selectFrom("quote_templates")
        .select(["logo", "logo_type"])
        .where("org_id", "=", orgId)
        .executeTakeFirst()
    : undefined;
  if (
    logoRow?.logo &&
    logoRow.logo_type &&
    !logoFits(pictureSize(Buffer.from(logoRow.logo), logoRow.logo_type))
  )
    // Stored before the upload checked a picture's size: decoding it at every quote could fill the memory.
    throw fieldRefused(
      "template.logo",
      "the organisation's logo is a picture too large to print: an admin uploads a smaller one",
      422,
    );
  const language: Language = input.language ?? contact?.language ?? template.language;
  const quoteLines: QuoteLine[] = lines.lines.map((line) => ({
    name: line.name,
    unit: line.unit,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    discountPercent: line.discountPercent,
    taxRate: line.taxRate,
    net: line.net,
  }));
  return {
    deal,
    validityDays: template.validityDays,
    document: {
      language,
      currency: lines.currency,
      dealName: deal.name,
      seller: {
        companyName: template.companyName,
        address: template.address,
        vatNumber: template.vatNumber,
        contact: template.contact,
      },
      logo: logoRow?.logo && logoRow.logo_type ? { bytes: logoRow.logo, mediaType: logoRow.logo_type } : null,
      customer: {
        company: deal.company_name ?? null,
        address: deal.company_address ?? null,
        contact: contact?.display_name ?? null,
        email: contact?.email ?? null,
      },
      lines: quoteLines,
      totals: lines.totals,
      terms: template.terms[language] ?? template.terms.en ?? "",
    } satisfies Omit<QuoteDocument, "number" | "date" | "validUntil">,
  };
}

/**
 * Makes a deal's next quote. The PDF is written before the transaction with the number and version the store
 * would give it then, so the transaction that takes them holds the counter's row lock for a few statements, not
 * for the rendering (the embedded store has one connection: every request would wait). When another quote took
 * that number meanwhile, the PDF is written again inside the transaction with the number it got.
 */
export async function createQuote(
  scope: Scope,
  dealId: string,
  input: QuoteCreate,
  now: Date,
): Promise<Quote> {
  const { orgId } = scope.caller;
  const content = await quoteContent(scope, dealId, input);
  // The rep's day, not the server's: a quote made at 00:30 in Stockholm is dated that day, not the one before.
  const date = localDay(input.timeZone ?? "UTC", now).date;
  const validUntil = addDays(date, content.validityDays);
  const render = (number: number) => renderQuotePdf({ ...content.document, number, date, validUntil });

  const expected = await scope.db
    .selectFrom("quote_templates")
    .select("last_number")
    .where("org_id", "=", orgId)
    .executeTakeFirst();
  const expectedNumber = (expected?.last_number ?? 0) + 1;
  const early = await render(expectedNumber);

  const id = await scope.db.transaction().execute(async (tx) => {
    // The counter: one row per organisation, raised here; a concurrent quote waits for this row until commit.
    const { last_number: number } = await tx
      .insertInto("quote_templates")
      .values({ org_id: orgId, last_number: 1 })
      .onConflict((c) =>
        c.column("org_id").doUpdateSet({ last_number: sql`quote_templates.last_number + 1` }),
      )
      .returning("last_number")
      .executeTakeFirstOrThrow();
    const { latest } = await tx
      .selectFrom("quotes")
      .select((eb) => eb.fn.max("version").as("latest"))
      .where("org_id", "=", orgId)
      .where("deal_id", "=", dealId)
      .executeTakeFirstOrThrow();
    const pdf = number === expectedNumber ? early : await render(number);
    const { id: quoteId } = await tx
      .insertInto("quotes")
      .values({
        org_id: orgId,
        deal_id: dealId,
        number,
        version: (latest ?? 0) + 1,
        language: content.document.language,
        currency: content.document.currency,
        total: content.document.totals.total,
        valid_until: validUntil,
        lines: JSON.stringify(content.document.lines),
        pdf: Buffer.from(pdf),
        created_by: scope.caller.userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(
      tx,
      scope.caller,
      "quote.created",
      { type: "deal", id: dealId },
      { quote: quoteId, number, language: content.document.language, total: content.document.totals.total },
    );
    return quoteId;
  });
  const row = await selectQuotes(scope.db, orgId).where("q.id", "=", id).executeTakeFirstOrThrow();
  return toQuote(row);
}
