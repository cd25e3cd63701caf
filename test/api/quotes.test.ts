import { sql } from "kysely";
import { crc32, deflateSync } from "node:zlib";
import { DealWithStage } from "../../src/shared/deals";
import { QUOTE_LOGO_MAX_BYTES, Quote, QuoteList, QuoteTemplate } from "../../src/shared/quotes";
import { pdfText } from "../helpers/pdf-text";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

// A 1×1 PNG and the start of a JPEG: what a logo upload is told apart by.
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

// A 1×1 grey JPEG (progressive): 134 bytes.
const JPEG =
  "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=";

/*
 * Quote documents: an admin sets the organisation's quote template, and any rep turns a deal's lines into a
 * numbered PDF in the customer's language, kept with the deal as a version and downloaded as it was made.
 */
describe.each(storeKinds)("quotes (%s)", (kind) => {
  let server: TestServer;
  let admin: string;
  let member: string;
  let eve: string;

  type Body = Record<string, unknown> & { errors?: { path: string; message: string }[]; code?: string };
  const request = (method: string, path: string, body?: unknown, token = admin) =>
    server.request<Body>(method, path, { token, ...(body === undefined ? {} : { body }) });
  const download = async (id: string, token = member) => {
    const response = await fetch(`${server.baseUrl}/api/v1/quotes/${id}/pdf`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
  };
  const template = async () => parse(QuoteTemplate, await request("GET", "/api/v1/quote-template"));
  const saveTemplate = (fields: Record<string, unknown>, token = admin) =>
    request(
      "PUT",
      "/api/v1/quote-template",
      {
        companyName: "Rapport Øst AS",
        address: "Storgata 1\n0155 Oslo",
        vatNumber: "NO 987 654 321 MVA",
        contact: "salg@rapport.example · +47 22 00 00 00",
        validityDays: 14,
        language: "de",
        terms: {
          en: "Payment within 30 days.",
          // "office" and "fiscal" would read back as ligatures had the font's shaping set them; "S" and a
          // combining caron are the one glyph "Š" once normalised.
          hr: "Plaćanje u roku od 30 dana, ponuda vrijedi uz potpis. Office: fiscal S\u030Cibenik.",
          de: "Zahlbar innerhalb von 30 Tagen. Gerichtsstand: Straßburg.",
        },
        ...fields,
      },
      token,
    );
  /** A deal at a company, with a contact and lines in EUR at two tax rates. */
  const dealWithLines = async (contactLanguage: string | null, token = member) => {
    const company = await request(
      "POST",
      "/api/v1/companies",
      { name: "Đakovo Čelik d.o.o.", address: "Ulica Žrtava 5\n31400 Đakovo" },
      token,
    );
    expect(company.status).toBe(201);
    const contact = await request(
      "POST",
      "/api/v1/contacts",
      {
        displayName: "Ana Šarić",
        emails: [`ana.${Math.random().toString(36).slice(2)}@celik.example`],
        companyId: company.body.id,
        ...(contactLanguage ? { language: contactLanguage } : {}),
      },
      token,
    );
    expect(contact.status).toBe(201);
    const deal = parse(
      DealWithStage,
      await request(
        "POST",
        "/api/v1/deals",
        { name: "Licences Šibenik & Ørsta", companyId: company.body.id, contactIds: [contact.body.id] },
        token,
      ),
    );
    const lines = await request(
      "PUT",
      `/api/v1/deals/${deal.id}/lines`,
      {
        currency: "EUR",
        version: deal.version,
        lines: [
          { name: "Lizenz Großkunde Å", unit: "pcs", quantity: "3", unitPrice: "1499.50", taxRate: "25" },
          {
            name: "Obuka ćevapčići",
            quantity: "2.5",
            unitPrice: "800",
            discountPercent: "10",
            taxRate: "13",
          },
        ],
      },
      token,
    );
    expect(lines.status).toBe(200);
    return deal.id;
  };
  const makeQuote = async (dealId: string, body: Record<string, unknown> = {}, token = member) => {
    const response = await request("POST", `/api/v1/deals/${dealId}/quotes`, body, token);
    expect([response.status, response.body.detail]).toEqual([201, undefined]);
    return parse(Quote, response);
  };
  const quoteRows = async () =>
    (
      await sql<{ row: string }>`
        select org_id || ':' || deal_id || ':' || number || ':' || version as row from quotes
        order by org_id, number`.execute(server.database.db)
    ).rows.map((r) => r.row);
  const today = () => new Date().toISOString().slice(0, 10);
  const inDays = (days: number) =>
    new Date(Date.parse(`${today()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    server = await startTestServer(kind);
    admin = await server.token("ada@contoso.example");
    member = await server.token("max@contoso.example");
    eve = await server.token("eve@evil.example");
    await request("GET", "/api/v1/me");
    await request("GET", "/api/v1/me", undefined, member);
  });
  afterAll(() => server.close());

  describe("the template", () => {
    it("starts empty, is saved by an admin with its terms per language, and refuses a stale version", async () => {
      expect(await template()).toEqual({
        companyName: "",
        address: "",
        vatNumber: "",
        contact: "",
        validityDays: 30,
        language: "en",
        terms: {},
        logo: null,
        version: 0,
      });
      const saved = await saveTemplate({ version: 0, address: "Storgata 1\r\n0155 Oslo  " });
      expect(saved.status).toBe(200);
      expect(parse(QuoteTemplate, saved)).toMatchObject({
        companyName: "Rapport Øst AS",
        address: "Storgata 1\n0155 Oslo",
        language: "de",
        terms: { hr: expect.stringContaining("Plaćanje") },
        version: 1,
      });
      const stale = await saveTemplate({ version: 0, companyName: "Overwritten" });
      expect([stale.status, (stale.body.current as { companyName: string }).companyName]).toEqual([
        409,
        "Rapport Øst AS",
      ]);
      expect((await template()).companyName).toBe("Rapport Øst AS");
    });

    it("is an admin's to set, and names the field it refuses", async () => {
      const before = await template();
      const byMember = await saveTemplate({ version: before.version, companyName: "Mine" }, member);
      expect(byMember.status).toBe(403);
      const bad = await saveTemplate({ version: before.version, validityDays: 0, terms: { fr: "Non" } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors?.map((e) => e.path).sort()).toEqual(["body.terms", "body.validityDays"]);
      expect(await template()).toEqual(before);
    });

    it("takes a PNG or JPEG logo checked by its bytes, and refuses anything else without storing it", async () => {
      const set = await request("PUT", "/api/v1/quote-template/logo", { content: PNG });
      expect(set.status).toBe(200);
      expect(parse(QuoteTemplate, set).logo).toEqual({ mediaType: "image/png", bytes: 70 });
      const gif = Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1").toString("base64");
      const refused = await request("PUT", "/api/v1/quote-template/logo", { content: gif });
      expect([refused.status, refused.body.errors?.[0]?.path]).toEqual([415, "body.content"]);
      const broken = Buffer.concat([Buffer.from(PNG, "base64").subarray(0, 8), Buffer.alloc(40, 7)]);
      const unreadable = await request("PUT", "/api/v1/quote-template/logo", {
        content: broken.toString("base64"),
      });
      expect([unreadable.status, unreadable.body.errors?.[0]?.path]).toEqual([422, "body.content"]);
      const huge = Buffer.concat([Buffer.from(PNG, "base64"), Buffer.alloc(600 * 1024)]).toString("base64");
      const tooBig = await request("PUT", "/api/v1/quote-template/logo", { content: huge });
      expect([tooBig.status, tooBig.body.errors?.[0]?.path]).toEqual([400, "body.content"]);
      const byMember = await request("PUT", "/api/v1/quote-template/logo", { content: null }, member);
      expect(byMember.status).toBe(403);
      expect((await template()).logo).toEqual({ mediaType: "image/png", bytes: 70 });
    });

    it("refuses a logo of too many pixels by its header, before decoding it (a decompression bomb)", async () => {
      // 3,000 × 3,000 grey pixels in 9 KB: decoded, 36 MB at the upload and at every quote; at the size limit
      // such a file holds a picture of 16,000 × 16,000, a gigabyte.
      const chunk = (type: string, data: Buffer) => {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(data.length);
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, "latin1"), data])) >>> 0);
        return Buffer.concat([length, Buffer.from(type, "latin1"), data, crc]);
      };
      const header = Buffer.alloc(13);
      header.writeUInt32BE(3000, 0);
      header.writeUInt32BE(3000, 4);
      header[8] = 8; // 8 bits a pixel, grey
      const bomb = Buffer.concat([
        Buffer.from(PNG, "base64").subarray(0, 8),
        chunk("IHDR", header),
        chunk("IDAT", deflateSync(Buffer.alloc(3001 * 3000))),
        chunk("IEND", Buffer.alloc(0)),
      ]);
      expect(bomb.length).toBeLessThan(64 * 1024);
      // 100 × 100 pixels by its header, and 64 MB of pixel data: inflated whole, whatever the header says.
      header.writeUInt32BE(100, 0);
      header.writeUInt32BE(100, 4);
      const flood = Buffer.concat([
        Buffer.from(PNG, "base64").subarray(0, 8),
        chunk("IHDR", header),
        chunk("IDAT", deflateSync(Buffer.alloc(64 * 1024 * 1024))),
        chunk("IEND", Buffer.alloc(0)),
      ]);
      expect(flood.length).toBeLessThan(QUOTE_LOGO_MAX_BYTES);
      // A JPEG whose frame says 60,000 × 60,000: embedded as it is, it is the customer's reader that would choke.
      const jpeg = Buffer.from([
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0xea, 0x60, 0xea, 0x60,
        0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9,
      ]);
      const before = await template();
      for (const [picture, size] of [
        [bomb, "3000 × 3000"],
        [jpeg, "60000 × 60000"],
        [flood, "100 × 100"],
      ] as const) {
        const refused = await request("PUT", "/api/v1/quote-template/logo", {
          content: picture.toString("base64"),
        });
        expect([refused.status, refused.body.errors?.[0]?.path]).toEqual([422, "body.content"]);
        expect(refused.body.errors?.[0]?.message).toContain(size);
      }
      expect(await template()).toEqual(before);
    });

    it("takes a JPEG logo, small or large, and prints it on the quote as it is", async () => {
      const small = Buffer.from(JPEG, "base64");
      // The same picture after a 6,000-byte comment: bytes the store hands back in a buffer of their own.
      const comment = Buffer.alloc(4 + 6000, 0x20);
      comment.writeUInt16BE(0xfffe, 0);
      comment.writeUInt16BE(6002, 2);
      const large = Buffer.concat([small.subarray(0, 2), comment, small.subarray(2)]);
      const dealId = await dealWithLines("en");
      for (const picture of [small, large]) {
        const set = await request("PUT", "/api/v1/quote-template/logo", {
          content: picture.toString("base64"),
        });
        expect([set.status, set.body.detail]).toEqual([200, undefined]);
        expect(parse(QuoteTemplate, set).logo).toEqual({ mediaType: "image/jpeg", bytes: picture.length });
        const quote = await makeQuote(dealId);
        const { response, bytes } = await download(quote.id);
        expect(response.status).toBe(200);
        // A JPEG goes into the PDF as it is (DCTDecode), read at its own 1 × 1 size.
        const pdf = Buffer.from(bytes);
        expect(pdf.includes(picture)).toBe(true);
        expect(pdf.toString("latin1")).toMatch(
          /\/Width 1\b[^]*?\/Filter \/DCTDecode|\/Filter \/DCTDecode[^]*?\/Width 1\b/,
        );
      }
      const restored = await request("PUT", "/api/v1/quote-template/logo", { content: PNG });
      expect(restored.status).toBe(200);
    });
  });

  describe("a deal's quotes", () => {
    it("refuses a deal without lines, naming them, and stores nothing", async () => {
      const deal = parse(DealWithStage, await request("POST", "/api/v1/deals", { name: "Empty" }, member));
      const before = await quoteRows();
      const refused = await request("POST", `/api/v1/deals/${deal.id}/quotes`, {}, member);
      expect([refused.status, refused.body.errors]).toEqual([
        422,
        [{ path: "deal.lines", message: expect.stringContaining("no lines") }],
      ]);
      expect(await quoteRows()).toEqual(before);
      const unknown = await request("POST", `/api/v1/deals/${deal.id}/quotes`, { language: "fr" }, member);
      expect([unknown.status, unknown.body.errors?.[0]?.path]).toEqual([400, "body.language"]);
    });

    it("reads back every letter of a quote made after one whose letters are built of them (Ŵ of W)", async () => {
      // Made of their own letter and an accent, Ŵ, Ŷ and Ǯ ask the font for W, Y and Ʒ by number alone when their
      // quote's font is written: the next quote's W, Y and Ʒ were then missing from its text.
      const quoteOf = async (name: string) => {
        const deal = parse(DealWithStage, await request("POST", "/api/v1/deals", { name }, member));
        const lines = await request(
          "PUT",
          `/api/v1/deals/${deal.id}/lines`,
          {
            currency: "EUR",
            version: deal.version,
            lines: [{ name: "Seat", quantity: "1", unitPrice: "10", taxRate: "25" }],
          },
          member,
        );
        expect(lines.status).toBe(200);
        const quote = await makeQuote(deal.id, { language: "en" });
        return (await pdfText((await download(quote.id)).bytes)).join("\n");
      };
      expect(await quoteOf("Ŵ Ŷ Ǯ")).toContain("Concerning: Ŵ Ŷ Ǯ");
      expect(await quoteOf("Wales York Ʒ")).toContain("Concerning: Wales York Ʒ");
    });

    it("prints every line of a long address and every total of many tax rates, over as many pages as they take", async () => {
      // An address of 150 lines (the field takes 1,000 characters, in as many lines as they like) and 60 lines
      // at 60 tax rates: each ran off the foot of its page, where no reader sees it.
      const address = Array.from({ length: 150 }, (_, i) => `Z${i + 1}`).join("\n");
      const company = await request(
        "POST",
        "/api/v1/companies",
        { name: `${"Långnamn ".repeat(20)}Slutord`, address },
        member,
      );
      expect(company.status).toBe(201);
      const deal = parse(
        DealWithStage,
        await request("POST", "/api/v1/deals", { name: "Many rates", companyId: company.body.id }, member),
      );
      const lines = Array.from({ length: 60 }, (_, i) => ({
        name: `Item ${i}`,
        quantity: "1",
        unitPrice: "100",
        taxRate: String(i),
      }));
      const put = await request(
        "PUT",
        `/api/v1/deals/${deal.id}/lines`,
        { currency: "EUR", version: deal.version, lines },
        member,
      );
      expect(put.status).toBe(200);
      const quote = await makeQuote(deal.id, { language: "en" });
      // 6,000.00 before tax, and 1 % of 100 for each of the rates 0 to 59: 1,770.00.
      expect(quote.total).toBe("7770.00");
      const text = (await pdfText((await download(quote.id)).bytes)).join("\n");
      expect(text).toContain("Slutord");
      for (const line of [
        "Z1",
        "Z75",
        "Z150",
        "Concerning: Many rates",
        "Item 59",
        "VAT 59 %",
        "EUR 7,770.00",
      ])
        expect([line, text.includes(line)]).toEqual([line, true]);
    });

    it("writes the quote in the contact's language with our details, the customer's, the lines and the totals per rate", async () => {
      const dealId = await dealWithLines("hr");
      const quote = await makeQuote(dealId);
      expect(quote).toMatchObject({
        dealId,
        version: 1,
        language: "hr",
        currency: "EUR",
        // 3 × 1499.50 = 4498.50 at 25 %; 2.5 × 800 − 10 % = 1800.00 at 13 %: 6298.50 + 1124.63 + 234.00
        total: "7657.13",
        validUntil: inDays(14),
        createdBy: { displayName: expect.any(String) },
      });
      expect(quote.lines.map((l) => [l.name, l.net])).toEqual([
        ["Lizenz Großkunde Å", "4498.50"],
        ["Obuka ćevapčići", "1800.00"],
      ]);
      const { response, bytes } = await download(quote.id);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      expect(response.headers.get("content-disposition")).toBe(
        `attachment; filename="quote-${quote.number}-licences-sibenik-orsta.pdf"`,
      );
      expect(quote.filename).toBe(`quote-${quote.number}-licences-sibenik-orsta.pdf`);
      const [page] = await pdfText(bytes);
      for (const expected of [
        "Ponuda",
        "Broj ponude",
        String(quote.number),
        "Rapport Øst AS",
        "Storgata 1",
        "NO 987 654 321 MVA",
        "Đakovo Čelik d.o.o.",
        "Ulica Žrtava 5",
        "Ana Šarić",
        "Predmet: Licences Šibenik & Ørsta",
        "Lizenz Großkunde Å",
        "Obuka ćevapčići",
        // Croatian writes 4.498,50: a point between thousands, a comma before the cents.
        "4.498,50",
        "PDV 25 % na 4.498,50",
        "1.124,63",
        "PDV 13 % na 1.800,00",
        "234,00",
        "Ukupno bez PDV-a",
        "EUR 7.657,13",
        "Plaćanje u roku od 30 dana",
        "Office: fiscal Šibenik.",
      ])
        expect([expected, page?.includes(expected)]).toEqual([expected, true]);
    });

    it("falls back to the organisation's language, or takes the one asked for", async () => {
      const dealId = await dealWithLines(null);
      const german = await makeQuote(dealId);
      expect(german.language).toBe("de");
      const [page] = await pdfText((await download(german.id)).bytes);
      expect(page).toContain("Angebot");
      expect(page).toContain("Gerichtsstand: Straßburg.");
      expect(page).toContain("4.498,50");
      const norwegian = await makeQuote(dealId, { language: "nb" });
      const [norsk] = await pdfText((await download(norwegian.id)).bytes);
      expect(norsk).toContain("Tilbud");
      expect(norsk).toContain("Å betale");
      // Norwegian groups with a space: 4 498,50. The terms have no Norwegian: English's are printed.
      expect(norsk).toContain("4 498,50");
      expect(norsk).toContain("Payment within 30 days.");
      expect(norwegian.version).toBe(2);
      expect(norwegian.number).toBe(german.number + 1);
    });

    it("dates a quote by the rep's day in their time zone, and holds it from that day", async () => {
      // Kiritimati (UTC+14) and Pago Pago (UTC−11) are 25 hours apart: never on the same day at any instant.
      const dealId = await dealWithLines("en");
      const localDate = (timeZone: string) =>
        new Intl.DateTimeFormat("en-CA", {
          timeZone,
          year: "numeric",
          month: "2-digit",
          day: "2-digit",
        }).format(new Date());
      const after = (isoDay: string, days: number) =>
        new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
      const { validityDays } = await template();
      const east = await makeQuote(dealId, { timeZone: "Pacific/Kiritimati" });
      const west = await makeQuote(dealId, { timeZone: "Pacific/Pago_Pago" });
      expect(east.validUntil).toBe(after(localDate("Pacific/Kiritimati"), validityDays));
      expect(west.validUntil).toBe(after(localDate("Pacific/Pago_Pago"), validityDays));
      expect(east.validUntil).not.toBe(west.validUntil);
      const printed = (isoDay: string) =>
        new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(
          new Date(`${isoDay}T00:00:00Z`),
        );
      const [eastPage] = await pdfText((await download(east.id)).bytes);
      expect(eastPage).toContain(`Date ${printed(localDate("Pacific/Kiritimati"))}`);
      const unknown = await request("POST", `/api/v1/deals/${dealId}/quotes`, { timeZone: "Mars/Olympus" });
      expect([unknown.status, unknown.body.errors?.[0]?.path]).toEqual([400, "body.timeZone"]);
    });

    it("keeps each version as it was made, newest first, after the deal's lines change", async () => {
      const dealId = await dealWithLines("sv");
      const first = await makeQuote(dealId);
      const lines = await request("GET", `/api/v1/deals/${dealId}/lines`, undefined, member);
      const changed = await request(
        "PUT",
        `/api/v1/deals/${dealId}/lines`,
        {
          currency: "EUR",
          version: lines.body.version,
          lines: [{ name: "Något annat", quantity: "1", unitPrice: "10", taxRate: "25" }],
        },
        member,
      );
      expect(changed.status).toBe(200);
      const second = await makeQuote(dealId);
      const list = parse(
        QuoteList,
        await request("GET", `/api/v1/deals/${dealId}/quotes`, undefined, member),
      );
      expect(list.items.map((q) => [q.version, q.total])).toEqual([
        [2, "12.50"],
        [1, "7657.13"],
      ]);
      expect(list.items[1]).toEqual(first);
      const [page] = await pdfText((await download(first.id)).bytes);
      expect(page).toContain("Offert");
      expect(page).toContain("Lizenz Großkunde Å");
      expect(page).not.toContain("Något annat");
      expect(second.lines.map((l) => l.name)).toEqual(["Något annat"]);
    });

    it("numbers quotes made at once without a gap or a twice-given number", async () => {
      const deals = await Promise.all([dealWithLines("en"), dealWithLines("en"), dealWithLines("sv")]);
      const before = await quoteRows();
      const made = await Promise.all([...deals, deals[0] as string].map((id) => makeQuote(id)));
      const numbers = made.map((q) => q.number).sort((a, b) => a - b);
      const highest = Math.max(...before.map((row) => Number(row.split(":")[2])));
      expect(numbers).toEqual([highest + 1, highest + 2, highest + 3, highest + 4]);
      expect(
        made
          .filter((q) => q.dealId === deals[0])
          .map((q) => q.version)
          .sort(),
      ).toEqual([1, 2]);
      // Each PDF carries the number it was stored under, whichever quote took which.
      for (const quote of made.slice(0, 2)) {
        const [page] = await pdfText((await download(quote.id)).bytes);
        expect(page).toContain(`Quote no. ${quote.number}`);
      }
    });

    it("keeps another organisation's quotes behind the wall, numbered on their own", async () => {
      const dealId = await dealWithLines("en");
      const quote = await makeQuote(dealId);
      const before = await quoteRows();
      expect((await request("GET", `/api/v1/deals/${dealId}/quotes`, undefined, eve)).status).toBe(404);
      expect((await download(quote.id, eve)).response.status).toBe(404);
      expect((await request("POST", `/api/v1/deals/${dealId}/quotes`, {}, eve)).status).toBe(404);
      expect(await quoteRows()).toEqual(before);
      const theirs = await makeQuote(await dealWithLines("en", eve), {}, eve);
      expect(theirs.number).toBe(1);
    });
  });
});
