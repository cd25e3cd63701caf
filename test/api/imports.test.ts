import ExcelJS from "exceljs";
import { sql } from "kysely";
import { Company } from "../../src/shared/companies";
import { Contact } from "../../src/shared/contacts";
import type { Problem } from "../../src/shared/errors";
import {
  type ImportCommitRequest,
  ImportPreview,
  ImportProgressLine,
  ImportResult,
} from "../../src/shared/imports";
import { Me } from "../../src/shared/routes";
import { type Response, type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

/*
 * Imports through the API as the wizard will make them: messy files, duplicates in the file and in the store,
 * row errors with their lines, all or nothing, 100,000 rows in one commit, and exports that import back.
 */

type Body = Omit<ImportCommitRequest, "onDuplicate"> & { onDuplicate?: ImportCommitRequest["onDuplicate"] };

describe.each(storeKinds)("imports (%s)", (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server.close());

  const preview = async (token: string, body: Body & { rows?: number }) =>
    parse(
      ImportPreview,
      expectStatus(200, await server.request("POST", "/api/v1/imports/preview", { token, body })),
    );
  const commitResponse = (token: string, body: Body) =>
    server.request("POST", "/api/v1/imports/commit", { token, body: { onDuplicate: "skip", ...body } });
  const commit = async (token: string, body: Body) =>
    parse(ImportResult, expectStatus(200, await commitResponse(token, body)));
  const csv = (content: string, extra: Partial<Body> = {}): Body => ({
    format: "csv",
    entity: "contacts",
    content,
    ...extra,
  });

  function expectStatus(status: number, response: Response): Response {
    expect([response.status, response.body]).toEqual([status, expect.anything()]);
    return response;
  }

  /** A new organisation (its first user is its admin) and its id. */
  async function organisation(domain: string) {
    const token = await server.token(`admin@${domain}`);
    const me = parse(Me, await server.request("GET", "/api/v1/me", { token }));
    return { token, orgId: me.organization.id, userId: me.user.id };
  }

  /** Every contact of the organisation with its addresses, straight from the store, by name. */
  async function storedContacts(orgId: string) {
    const rows = await server.database.db
      .selectFrom("contacts as c")
      .leftJoin("companies as co", "co.id", "c.company_id")
      .select([
        "c.id",
        "c.display_name",
        "c.first_name",
        "c.last_name",
        "c.title",
        "c.phones",
        "c.tags",
        "c.lifecycle_stage",
        "c.custom_fields",
        "c.source",
        "c.version",
        "co.name as company",
        "co.domain as company_domain",
      ])
      .select(
        sql<
          string[]
        >`array(select e.address from contact_emails e where e.contact_id = c.id order by e.position)`.as(
          "emails",
        ),
      )
      .where("c.org_id", "=", orgId)
      .orderBy("c.display_name")
      .orderBy("c.created_at")
      .execute();
    return rows;
  }

  async function counts(orgId: string) {
    const count = async (table: "contacts" | "companies" | "contact_emails" | "audit_events") =>
      Number(
        (
          await server.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("org_id", "=", orgId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      contacts: await count("contacts"),
      companies: await count("companies"),
      emails: await count("contact_emails"),
      audits: await count("audit_events"),
    };
  }

  it("reads a messy CSV: byte order mark, semicolons, quoted line breaks, CRLF, blank lines; suggests the mapping; counts lines as the file has them", async () => {
    const { token, orgId } = await organisation("messy.example");
    const content =
      "\uFEFFFull Name;E-mail Address;E-mail 2 Address;Company;Job Title;Notes;Tags\r\n" +
      'Anna Berg;ANNA@Customer.example;anna.b@customer.example;Customer Inc;CEO;"first line\r\nsecond line";vip, renewal\r\n' +
      "\r\n" +
      '"Bo ""the boss"" Ek";bo@customer.example;;Customer Inc;;;\r\n' +
      ";carl.dahl@other.example;;;;;\r\n";
    const shown = await preview(token, csv(content));
    expect(shown.delimiter).toBe(";");
    expect(shown.suggested).toBe(true);
    expect(shown.columns.map((c) => [c.header, c.field])).toEqual([
      ["Full Name", "displayName"],
      ["E-mail Address", "email"],
      ["E-mail 2 Address", "email"],
      ["Company", "companyName"],
      ["Job Title", "title"],
      ["Notes", null],
      ["Tags", "tags"],
    ]);
    expect(shown.columns[5]?.samples).toEqual(["first line\r\nsecond line"]);
    // Anna's row spans lines 2 and 3; line 4 is blank.
    expect(shown.rows.map((r) => [r.line, r.action, r.errors])).toEqual([
      [2, "create", []],
      [5, "create", []],
      [6, "create", []],
    ]);
    expect(shown.rows[0]?.contact).toEqual({
      displayName: "Anna Berg",
      firstName: null,
      lastName: null,
      title: "CEO",
      emails: ["anna@customer.example", "anna.b@customer.example"],
      phones: [],
      company: { name: "Customer Inc", domain: null },
      tags: ["vip", "renewal"],
      lifecycleStage: null,
      customFields: {},
    });
    expect(shown.rows[1]?.contact?.displayName).toBe('Bo "the boss" Ek');
    // No name: the address says who it is.
    expect(shown.rows[2]?.contact?.displayName).toBe("Carl Dahl");
    expect(shown.counts).toEqual({
      rows: 3,
      valid: 3,
      invalid: 0,
      duplicatesOfRecords: 0,
      duplicatesInFile: 0,
      create: 3,
      update: 0,
      skip: 0,
    });
    expect(await counts(orgId)).toMatchObject({ contacts: 0, companies: 0 });

    const result = await commit(token, csv(content));
    expect(result).toEqual({
      entity: "contacts",
      rows: 3,
      created: 3,
      updated: 0,
      skipped: 0,
      companiesCreated: 1,
    });
    const stored = await storedContacts(orgId);
    expect(stored.map((c) => [c.display_name, c.emails, c.company, c.source])).toEqual([
      ["Anna Berg", ["anna@customer.example", "anna.b@customer.example"], "Customer Inc", "import"],
      ['Bo "the boss" Ek', ["bo@customer.example"], "Customer Inc", "import"],
      ["Carl Dahl", ["carl.dahl@other.example"], null, "import"],
    ]);
    // One audit event for the whole file, with its counts.
    const audits = await server.database.db
      .selectFrom("audit_events")
      .select(["action", "details"])
      .where("org_id", "=", orgId)
      .execute();
    expect(audits).toEqual([
      {
        action: "import.committed",
        details: expect.objectContaining({ format: "csv", rows: 3, created: 3, companiesCreated: 1 }),
      },
    ]);
  });

  it("reads commas, tabs, LF and CR line ends alike", async () => {
    const { token } = await organisation("ends.example");
    for (const [content, delimiter] of [
      ["Name,Email\nAnna,anna@ends.example\nBo,bo@ends.example\n", ","],
      ["Name\tEmail\rAnna\tanna@ends.example\rBo\tbo@ends.example", "\t"],
      ['Name|Email\r\n"Anna, the first"|anna@ends.example\r\nBo|bo@ends.example', "|"],
    ] as const) {
      const shown = await preview(token, csv(content));
      expect([delimiter, shown.delimiter, shown.rows.map((r) => [r.line, r.contact?.emails])]).toEqual([
        delimiter,
        delimiter,
        [
          [2, ["anna@ends.example"]],
          [3, ["bo@ends.example"]],
        ],
      ]);
    }
  });

  describe("duplicates", () => {
    // Row 2 shares an address with a stored contact; row 4 repeats row 3's address; row 5 is new.
    const file = (domain: string) =>
      csv(
        "Name,Email,Phone,Title,Tags\n" +
          `Anna Imported,anna@${domain},+1 555 0101,CEO,imported\n` +
          `New Person,new@${domain},,,\n` +
          `New Person Again,NEW@${domain},+1 555 0202,CTO,again\n` +
          `Fresh Person,fresh@${domain},,,\n`,
      );

    async function withAnna(domain: string) {
      const org = await organisation(domain);
      const anna = parse(
        Contact,
        expectStatus(
          201,
          await server.request("POST", "/api/v1/contacts", {
            token: org.token,
            body: {
              displayName: "Anna Berg",
              emails: [`anna@${domain}`],
              phones: ["+1 555 0100"],
              tags: ["old"],
            },
          }),
        ),
      );
      return { ...org, anna };
    }

    it("flags a row with a stored contact's address and a row repeating an earlier one", async () => {
      const { token, anna } = await withAnna("flags.example");
      const shown = await preview(token, { ...file("flags.example"), onDuplicate: "update" });
      expect(shown.rows.map((r) => [r.line, r.duplicate, r.action])).toEqual([
        [2, { kind: "record", id: anna.id, name: "Anna Berg", match: "anna@flags.example" }, "update"],
        [3, null, "create"],
        [4, { kind: "row", line: 3, match: "new@flags.example" }, "update"],
        [5, null, "create"],
      ]);
      expect(shown.counts).toMatchObject({
        duplicatesOfRecords: 1,
        duplicatesInFile: 1,
        create: 2,
        update: 2,
      });
      // A row's own decision wins over onDuplicate.
      const decided = await preview(token, {
        ...file("flags.example"),
        onDuplicate: "update",
        decisions: [
          { line: 2, action: "skip" },
          { line: 5, action: "skip" },
        ],
      });
      expect(decided.rows.map((r) => r.action)).toEqual(["skip", "create", "update", "skip"]);
    });

    it("skip: leaves the stored contact and the earlier row as they are", async () => {
      const { token, orgId, anna } = await withAnna("skip.example");
      const result = await commit(token, { ...file("skip.example"), onDuplicate: "skip" });
      expect(result).toMatchObject({ rows: 4, created: 2, updated: 0, skipped: 2 });
      const stored = await storedContacts(orgId);
      expect(stored.map((c) => [c.display_name, c.emails, c.phones, c.tags, c.version])).toEqual([
        ["Anna Berg", ["anna@skip.example"], ["+1 555 0100"], ["old"], 1],
        ["Fresh Person", ["fresh@skip.example"], [], [], 1],
        ["New Person", ["new@skip.example"], [], [], 1],
      ]);
      expect(stored.find((c) => c.id === anna.id)?.version).toBe(1);
    });

    it("update: merges the row into the stored contact and repeated rows into one contact", async () => {
      const { token, orgId, anna } = await withAnna("update.example");
      const result = await commit(token, { ...file("update.example"), onDuplicate: "update" });
      expect(result).toMatchObject({ rows: 4, created: 2, updated: 2, skipped: 0 });
      const stored = await storedContacts(orgId);
      expect(stored.map((c) => [c.display_name, c.emails, c.phones, c.title, c.tags, c.version])).toEqual([
        [
          "Anna Imported",
          ["anna@update.example"],
          ["+1 555 0100", "+1 555 0101"],
          "CEO",
          ["old", "imported"],
          2,
        ],
        ["Fresh Person", ["fresh@update.example"], [], null, [], 1],
        ["New Person Again", ["new@update.example"], ["+1 555 0202"], "CTO", ["again"], 1],
      ]);
      expect(stored.find((c) => c.display_name === "Anna Imported")?.id).toBe(anna.id);
    });

    it("create: makes records of their own, the shared address staying with the contact that has it", async () => {
      const { token, orgId } = await withAnna("create.example");
      const result = await commit(token, { ...file("create.example"), onDuplicate: "create" });
      expect(result).toMatchObject({ rows: 4, created: 4, updated: 0, skipped: 0 });
      const stored = await storedContacts(orgId);
      expect(stored.map((c) => [c.display_name, c.emails])).toEqual([
        ["Anna Berg", ["anna@create.example"]],
        ["Anna Imported", []],
        ["Fresh Person", ["fresh@create.example"]],
        ["New Person", ["new@create.example"]],
        ["New Person Again", []],
      ]);
    });

    it("finds duplicates in either spelling of an internationalised address or domain, keeping each as the file wrote it", async () => {
      const { token, orgId, anna } = await withAnna("idn-import.example");
      const jorg = parse(
        Contact,
        expectStatus(
          201,
          await server.request("POST", "/api/v1/contacts", {
            token,
            body: { displayName: "Jörg Müller", emails: ["jorg@müller.example"] },
          }),
        ),
      );
      const bakery = parse(
        Company,
        expectStatus(
          201,
          await server.request("POST", "/api/v1/companies", {
            token,
            body: { name: "Bäckerei", domain: "bäckerei.example" },
          }),
        ),
      );
      const body = csv(
        "Name,Email,Company,Company domain\n" +
          "Jörg Imported,jorg@xn--mller-kva.example,,\n" +
          "Åsa,asa@åsa.example,Bäckerei AG,xn--bckerei-5wa.example\n" +
          "Åsa Again,ASA@XN--SA-XIA.example,,\n" +
          "Ulla,ulla@gröna.example,Gröna,gröna.example\n",
        { onDuplicate: "update" },
      );
      const shown = await preview(token, body);
      expect(shown.rows.map((r) => [r.line, r.duplicate, r.action])).toEqual([
        [
          2,
          { kind: "record", id: jorg.id, name: "Jörg Müller", match: "jorg@xn--mller-kva.example" },
          "update",
        ],
        [3, null, "create"],
        [4, { kind: "row", line: 3, match: "asa@xn--sa-xia.example" }, "update"],
        [5, null, "create"],
      ]);
      expect(shown.rows[1]?.contact).toMatchObject({
        emails: ["asa@åsa.example"],
        company: { name: "Bäckerei AG", domain: "xn--bckerei-5wa.example" },
      });
      // The company the row names by the other spelling of its domain is the stored one: none is made.
      expect(await commit(token, body)).toMatchObject({ created: 2, updated: 2, companiesCreated: 1 });
      const list = await server.request<{ items: unknown[] }>("GET", "/api/v1/contacts?limit=200", { token });
      const contacts = list.body.items.map((c) => Contact.parse(c));
      // By name in the store's collation, where Å may sort anywhere: compared as a map.
      expect(new Map(contacts.map((c) => [c.displayName, c.emails]))).toEqual(
        new Map([
          ["Anna Berg", [anna.emails[0]]],
          ["Åsa Again", ["asa@åsa.example"]],
          ["Jörg Imported", ["jorg@müller.example"]],
          ["Ulla", ["ulla@gröna.example"]],
        ]),
      );
      expect(contacts.find((c) => c.displayName === "Åsa Again")?.companyId).toBe(bakery.id);
      const companies = await server.database.db
        .selectFrom("companies")
        .select(["name", "domain", "domain_as_written"])
        .where("org_id", "=", orgId)
        .orderBy("name")
        .execute();
      expect(companies).toEqual([
        { name: "Bäckerei", domain: "xn--bckerei-5wa.example", domain_as_written: "bäckerei.example" },
        { name: "Gröna", domain: "xn--grna-6qa.example", domain_as_written: "gröna.example" },
      ]);
      const companyFile = await preview(token, {
        format: "csv",
        entity: "companies",
        content: "Company,Domain\nBakery,xn--bckerei-5wa.example\nGröna AB,https://www.Gröna.example/\n",
      });
      expect(companyFile.rows.map((r) => [r.company?.domain, r.duplicate?.kind, r.duplicate?.match])).toEqual(
        [
          ["xn--bckerei-5wa.example", "record", "xn--bckerei-5wa.example"],
          ["gröna.example", "record", "gröna.example"],
        ],
      );
    });

    it("never takes another organisation's contact or company for a duplicate", async () => {
      const other = await withAnna("shared.example");
      await server.request("POST", "/api/v1/companies", {
        token: other.token,
        body: { name: "Shared Co", domain: "shared-co.example" },
      });
      const own = await organisation("own.example");
      const shown = await preview(own.token, { ...file("shared.example"), onDuplicate: "update" });
      expect(shown.rows.map((r) => r.duplicate?.kind ?? null)).toEqual([null, null, "row", null]);
      expect(JSON.stringify(shown)).not.toContain(other.anna.id);
      const result = await commit(own.token, { ...file("shared.example"), onDuplicate: "update" });
      expect(result).toMatchObject({ created: 3, updated: 1 });
      const companies = await preview(own.token, {
        format: "csv",
        entity: "companies",
        content: "Company,Domain\nShared,shared-co.example\n",
      });
      expect(companies.rows[0]?.duplicate).toBeNull();
      expect((await storedContacts(other.orgId)).map((c) => [c.display_name, c.version])).toEqual([
        ["Anna Berg", 1],
      ]);
    });
  });

  it("lists every row error with its line and field, and a commit with any stores nothing", async () => {
    const { token, orgId } = await organisation("errors.example");
    expectStatus(
      201,
      await server.request("POST", "/api/v1/custom-fields", {
        token,
        body: { entity: "contact", key: "size", label: "Size", type: "number" },
      }),
    );
    const content =
      "Name,Email,Size,Stage,Company domain\n" +
      "Good Person,good@errors.example,12,customer,errors.example\n" +
      "Bad Address,not-an-address,1,,\n" +
      ",,,,\n" + // blank: skipped, not an error
      ",,3,,\n" + // neither name nor address
      "Bad Size,size@errors.example,twelve,,\n" +
      "Bad Stage,stage@errors.example,,champion,\n" +
      '"Bad ""quote",x@errors.example,,,\n' +
      "Bad Domain,domain@errors.example,,,not a domain\n";
    const body = csv(content, {
      mapping: [
        { column: 0, field: "displayName" },
        { column: 1, field: "email" },
        { column: 2, field: "customFields.size" },
        { column: 3, field: "lifecycleStage" },
        { column: 4, field: "companyDomain" },
      ],
    });
    const shown = await preview(token, body);
    expect(shown.counts).toMatchObject({ rows: 7, valid: 2, invalid: 5 });
    expect(shown.errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [3, "email", "value_refused"],
      [5, "displayName", "name_or_email_needed"],
      [6, "customFields.size", "value_refused"],
      [7, "lifecycleStage", "value_refused"],
      [9, "companyDomain", "value_refused"],
    ]);
    expect(shown.rows.find((r) => r.line === 6)).toMatchObject({ action: "error", contact: null });
    expect(shown.rows.find((r) => r.line === 2)?.contact?.customFields).toEqual({ size: 12 });
    // `"Bad ""quote"` is a closed quoted cell: that row is fine.
    expect(shown.rows.find((r) => r.line === 8)?.contact?.displayName).toBe('Bad "quote');

    const before = await counts(orgId);
    const refused = await commitResponse(token, body);
    expect(refused.status).toBe(422);
    const problem = refused.body as Problem;
    expect(problem.code).toBe("import_rows_invalid");
    expect(problem.rowErrors?.map((e) => e.line)).toEqual([3, 5, 6, 7, 9]);
    expect(problem.detail).toContain("line 3");
    expect(await counts(orgId)).toEqual(before);
  });

  it("holds an imported custom field's text to 5,000 characters, as a create does", async () => {
    const { token } = await organisation("long-values.example");
    expectStatus(
      201,
      await server.request("POST", "/api/v1/custom-fields", {
        token,
        body: { entity: "contact", key: "notes", label: "Notes", type: "text" },
      }),
    );
    const content = `Name,Notes\nLong,${"x".repeat(5001)}\nFits,${"x".repeat(5000)}\n`;
    const shown = await preview(token, csv(content));
    expect(shown.errors).toEqual([
      { line: 2, field: "customFields.notes", code: "value_refused", message: "at most 5000 characters" },
    ]);
    expect(shown.counts).toMatchObject({ rows: 2, valid: 1, invalid: 1 });
  });

  it("refuses a file with more blank rows than a spreadsheet has, or more cards begun than a file may hold", async () => {
    const { token } = await organisation("shapes.example");
    const refused = async (body: Body) => {
      const response = await server.request<Problem>("POST", "/api/v1/imports/preview", { token, body });
      expect(response.status).toBe(400);
      return response.body.detail;
    };
    // More blank rows than Excel has in a sheet.
    expect(await refused(csv(`Name,Email\n${"\n".repeat(1_048_577)}Anna,anna@shapes.example\n`))).toBe(
      "The file has more than 1,048,576 blank rows, more than a spreadsheet holds.",
    );
    // More cards begun than a file may hold, though none ends.
    expect(
      await refused({ format: "vcard", entity: "contacts", content: "BEGIN:VCARD\r\n".repeat(200_001) }),
    ).toBe("A file may hold at most 200000 cards.");
  });

  it("refuses a row wider than 500 columns and a card of more than 1,000 properties before reading on, and takes one just under", async () => {
    const { token } = await organisation("limits.example");
    const refused = async (body: Body) => {
      const response = await server.request<Problem>("POST", "/api/v1/imports/preview", { token, body });
      expect(response.status).toBe(400);
      return response.body.detail;
    };
    const cells = (n: number, first = "Anna", second = "anna@limits.example") =>
      [first, second, ...Array.from({ length: n - 2 }, () => "")].join(",");
    // 500 cells a row, the header's and the data's: read.
    const header = ["Name", "Email", ...Array.from({ length: 498 }, (_, i) => `Extra ${i}`)].join(",");
    const wide = await preview(token, csv(`${header}\n${cells(500)}\n`));
    expect([wide.columns.length, wide.counts.valid]).toEqual([500, 1]);
    // One more in a data row, under a narrow header; a row of a million.
    expect(await refused(csv(`Name,Email\n${cells(2)}\n"Bo, Jr.",bo@limits.example\n${cells(501)}\n`))).toBe(
      "A file may have at most 500 columns; the row at line 4 has more.",
    );
    expect(await refused(csv(`Name,Email\n${",".repeat(1_000_000)}\n`))).toBe(
      "A file may have at most 500 columns; the row at line 2 has more.",
    );

    const card = (properties: number) =>
      `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\r\nEMAIL:anna@limits.example\r\n${"X-A:a\r\n".repeat(properties - 3)}END:VCARD\r\n`;
    const vcard = (content: string): Body => ({ format: "vcard", entity: "contacts", content });
    expect((await preview(token, vcard(card(1000)))).counts).toMatchObject({ rows: 1, valid: 1 });
    expect(await refused(vcard(card(3) + card(1001)))).toBe(
      "A card may have at most 1,000 properties (lines); the card at line 6 has more.",
    );
    // A million properties in all, in cards each under the limit.
    expect(await refused(vcard(card(999).repeat(1002)))).toBe(
      "A file may hold at most 1,000,000 properties (lines) in all: import it in parts.",
    );
  });

  it("refuses a contact whose company is new where companies have a required field, and takes one whose company is stored", async () => {
    const { token, orgId } = await organisation("company-fields.example");
    expectStatus(
      201,
      await server.request("POST", "/api/v1/custom-fields", {
        token,
        body: { entity: "company", key: "industry", label: "Industry", type: "text", required: true },
      }),
    );
    expectStatus(
      201,
      await server.request("POST", "/api/v1/companies", {
        token,
        body: { name: "Stored Co", domain: "stored.example", customFields: { industry: "Retail" } },
      }),
    );
    const content =
      "Name,Email,Company,Company domain\n" +
      "Known,known@stored.example,Stored Co,stored.example\n" +
      "Same Name,name@elsewhere.example,stored co,\n" +
      "Newcomer,new@new-co.example,New Co,new-co.example\n" +
      "No Company,alone@free.example,,\n";
    const shown = await preview(token, csv(content));
    expect(shown.counts).toMatchObject({ rows: 4, valid: 3, invalid: 1 });
    expect(shown.errors).toEqual([
      {
        line: 4,
        field: "companyName",
        code: "company_not_stored",
        message:
          '"New Co" is not a stored company, and a new company needs "Industry": import the companies first',
        values: { company: "New Co", labels: "Industry" },
      },
    ]);
    const before = await counts(orgId);
    expect((await commitResponse(token, csv(content))).status).toBe(422);
    expect(await counts(orgId)).toEqual(before);
    const without = content.replace("Newcomer,new@new-co.example,New Co,new-co.example\n", "");
    expect(await commit(token, csv(without))).toMatchObject({ created: 3, companiesCreated: 0 });
    expect(await counts(orgId)).toMatchObject({ contacts: 3, companies: 1 });
  });

  it("takes the mapping it is sent, custom fields included, and refuses one that names no field", async () => {
    const { token, orgId } = await organisation("mapping.example");
    await server.request("POST", "/api/v1/custom-fields", {
      token,
      body: { entity: "contact", key: "tier", label: "Tier", type: "choice", choices: ["gold", "silver"] },
    });
    const content = "A,B,C,D\nBerg,Anna,anna@mapping.example,gold\n";
    const suggested = await preview(token, csv(content));
    expect(suggested.mapping).toEqual([]);
    expect(suggested.rows[0]?.errors.map((e) => e.field)).toEqual(["displayName"]);
    expect(suggested.targets.map((t) => t.field)).toContain("customFields.tier");
    const mapping = [
      { column: 0, field: "lastName" },
      { column: 1, field: "firstName" },
      { column: 2, field: "email" },
      { column: 3, field: "customFields.tier" },
    ];
    const mapped = await preview(token, csv(content, { mapping }));
    expect(mapped.columns.map((c) => c.field)).toEqual([
      "lastName",
      "firstName",
      "email",
      "customFields.tier",
    ]);
    expect(mapped.rows[0]?.contact).toMatchObject({
      displayName: "Anna Berg",
      firstName: "Anna",
      lastName: "Berg",
      customFields: { tier: "gold" },
    });
    await commit(token, csv(content, { mapping }));
    expect((await storedContacts(orgId)).map((c) => [c.display_name, c.custom_fields])).toEqual([
      ["Anna Berg", { tier: "gold" }],
    ]);
    for (const [bad, path] of [
      [[{ column: 0, field: "customFields.nope" }], "body.mapping.0.field"],
      [[{ column: 0, field: "website" }], "body.mapping.0.field"],
      [[{ column: 9, field: "email" }], "body.mapping.0.column"],
      [
        [
          { column: 0, field: "title" },
          { column: 1, field: "title" },
        ],
        "body.mapping.1.field",
      ],
    ] as const) {
      const refused = await server.request("POST", "/api/v1/imports/preview", {
        token,
        body: csv(content, { mapping: [...bad] }),
      });
      expect([refused.status, (refused.body as Problem).errors?.[0]?.path]).toEqual([400, path]);
    }
  });

  it("reads vCards 2.1 (quoted-printable), 3.0 and 4.0 with folded lines", async () => {
    const { token, orgId } = await organisation("vcard.example");
    const content = [
      "BEGIN:VCARD",
      "VERSION:2.1",
      "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg;Ren=C3=A9",
      "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ren=C3=A9 J=C3=B6rg, the long=",
      "est name",
      "EMAIL;PREF;INTERNET:rene@vcard.example",
      "TEL;WORK;VOICE:+49 30 1234",
      "ORG;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:J=C3=B6rg GmbH",
      "END:VCARD",
      "BEGIN:VCARD",
      "VERSION:3.0",
      "FN:Anna Berg",
      "N:Berg;Anna;;;",
      "EMAIL;TYPE=INTERNET,WORK:anna@vcard.example",
      "EMAIL;TYPE=HOME:anna.home@vcard.example",
      "TEL;TYPE=CELL:+1 555 0100",
      "ORG:Customer\\, Inc.;Sales",
      "TITLE:Head of Sales",
      "CATEGORIES:vip,renewal",
      "NOTE:folded across",
      "  two lines",
      "END:VCARD",
      "BEGIN:VCARD",
      "VERSION:4.0",
      "FN:Bo Ek",
      "EMAIL;PREF=1:bo@vcard.example",
      "TEL;VALUE=uri;TYPE=work:tel:+1-555-0199",
      "TITLE:A very long job title that goes on and on so that it has to be folded at",
      "  seventy-five octets",
      "END:VCARD",
      "",
    ].join("\r\n");
    const body: Body = { format: "vcard", entity: "contacts", content };
    const shown = await preview(token, body);
    expect(shown.columns).toEqual([]);
    expect(shown.rows.map((r) => [r.line, r.contact])).toEqual([
      [
        1,
        {
          displayName: "René Jörg, the longest name",
          firstName: "René",
          lastName: "Jörg",
          title: null,
          emails: ["rene@vcard.example"],
          phones: ["+49 30 1234"],
          company: { name: "Jörg GmbH", domain: null },
          tags: [],
          lifecycleStage: null,
          customFields: {},
        },
      ],
      [
        10,
        {
          displayName: "Anna Berg",
          firstName: "Anna",
          lastName: "Berg",
          title: "Head of Sales",
          emails: ["anna@vcard.example", "anna.home@vcard.example"],
          phones: ["+1 555 0100"],
          company: { name: "Customer, Inc.", domain: null },
          tags: ["vip", "renewal"],
          lifecycleStage: null,
          customFields: {},
        },
      ],
      [
        23,
        expect.objectContaining({
          displayName: "Bo Ek",
          emails: ["bo@vcard.example"],
          phones: ["+1-555-0199"],
          title:
            "A very long job title that goes on and on so that it has to be folded at seventy-five octets",
        }),
      ],
    ]);
    expect(await commit(token, body)).toMatchObject({ created: 3, companiesCreated: 2 });
    expect((await storedContacts(orgId)).map((c) => c.display_name)).toEqual([
      "Anna Berg",
      "Bo Ek",
      "René Jörg, the longest name",
    ]);
    const unclosed = await preview(token, { ...body, content: "BEGIN:VCARD\nFN:Open\n" });
    expect(unclosed.errors).toEqual([
      { line: 1, field: null, code: "card_not_ended", message: "the card has no END:VCARD" },
    ]);
    const notVCard = await server.request("POST", "/api/v1/imports/preview", {
      token,
      body: { ...body, content: "Name,Email\nAnna,anna@x.example\n" },
    });
    expect(notVCard.status).toBe(400);
  });

  it("imports companies, finding duplicates by domain (a website says it when no column does)", async () => {
    const { token, orgId } = await organisation("companies.example");
    await server.request("POST", "/api/v1/companies", {
      token,
      body: { name: "Contoso", domain: "contoso.example", phone: "+1 555 0000" },
    });
    const content =
      "Company,Website,Phone,Address\n" +
      'Contoso Ltd,https://www.Contoso.example/about,+1 555 0001,"1 Main St\nSpringfield"\n' +
      "Fabrikam,fabrikam.example,,\n" +
      "Fabrikam again,http://fabrikam.example,+1 555 0002,\n" +
      "Northwind,,,\n";
    const body: Body = { format: "csv", entity: "companies", content, onDuplicate: "update" };
    const shown = await preview(token, body);
    expect(shown.rows.map((r) => [r.line, r.company?.domain, r.duplicate?.kind ?? null, r.action])).toEqual([
      [2, "contoso.example", "record", "update"],
      [4, "fabrikam.example", null, "create"],
      [5, "fabrikam.example", "row", "update"],
      [6, null, null, "create"],
    ]);
    expect(await commit(token, body)).toMatchObject({ created: 2, updated: 2 });
    const stored = await server.database.db
      .selectFrom("companies")
      .select(["name", "domain", "phone", "address", "version"])
      .where("org_id", "=", orgId)
      .orderBy("name")
      .execute();
    expect(stored).toEqual([
      {
        name: "Contoso Ltd",
        domain: "contoso.example",
        phone: "+1 555 0001",
        address: "1 Main St\nSpringfield",
        version: 2,
      },
      { name: "Fabrikam again", domain: "fabrikam.example", phone: "+1 555 0002", address: null, version: 1 },
      { name: "Northwind", domain: null, phone: null, address: null, version: 1 },
    ]);
    const refused = await server.request("POST", "/api/v1/imports/preview", {
      token,
      body: { format: "vcard", entity: "companies", content: "BEGIN:VCARD\nEND:VCARD\n" },
    });
    expect(refused.status).toBe(400);
  });

  it("lets a member import: it is a rep's everyday work, as adding contacts one by one is", async () => {
    const { orgId } = await organisation("members.example");
    const member = await server.token("max@members.example");
    const me = parse(Me, await server.request("GET", "/api/v1/me", { token: member }));
    expect(me.user.role).toBe("member");
    expect(await commit(member, csv("Name,Email\nAnna,anna@members.example\n"))).toMatchObject({
      created: 1,
    });
    const audit = await server.database.db
      .selectFrom("audit_events")
      .select(["actor_id"])
      .where("org_id", "=", orgId)
      .where("action", "=", "import.committed")
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(me.user.id);
    const contact = (await storedContacts(orgId))[0];
    const owner = await server.database.db
      .selectFrom("contacts")
      .select("owner_id")
      .where("id", "=", contact?.id ?? "")
      .executeTakeFirstOrThrow();
    expect(owner.owner_id).toBe(me.user.id);
  });

  it("links emails logged earlier from an imported address to its new contact", async () => {
    const { token, orgId } = await organisation("linked.example");
    expectStatus(
      201,
      await server.request("POST", "/api/v1/emails", {
        token,
        body: {
          internetMessageId: "<before-import@mail.example>",
          from: { address: "anna@customer-linked.example" },
          to: [{ address: "admin@linked.example" }],
          sentAt: "2026-11-20T10:00:00Z",
        },
      }),
    );
    await commit(token, csv("Name,Email\nAnna,anna@customer-linked.example\n"));
    const [anna] = await storedContacts(orgId);
    const participant = await server.database.db
      .selectFrom("interaction_participants")
      .select("contact_id")
      .where("org_id", "=", orgId)
      .where("address", "=", "anna@customer-linked.example")
      .executeTakeFirstOrThrow();
    expect(participant.contact_id).toBe(anna?.id);
  });

  it("serialises two imports of one organisation: an address is given once, the second sees it as a duplicate", async () => {
    const { token, orgId } = await organisation("twice.example");
    const rows = Array.from({ length: 300 }, (_, i) => `Person ${i},person${i}@twice.example`).join("\n");
    const body = csv(`Name,Email\n${rows}\n`, { onDuplicate: "skip" });
    const [a, b] = await Promise.all([commitResponse(token, body), commitResponse(token, body)]);
    const results = [a, b].map((r) => parse(ImportResult, expectStatus(200, r)));
    expect(results.map((r) => [r.created, r.skipped]).sort()).toEqual([
      [0, 300],
      [300, 0],
    ]);
    expect(await counts(orgId)).toMatchObject({ contacts: 300, emails: 300 });
  });

  it("reports progress as NDJSON when asked, and the outcome on its last line", async () => {
    const { token } = await organisation("progress.example");
    const rows = Array.from({ length: 12_000 }, (_, i) => `P ${i},p${i}@progress.example`).join("\n");
    const send = async (body: Body) => {
      const response = await fetch(`${server.baseUrl}/api/v1/imports/commit`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          accept: "application/x-ndjson",
        },
        body: JSON.stringify({ onDuplicate: "skip", ...body }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("application/x-ndjson");
      const text = await response.text();
      expect(text.endsWith("\n")).toBe(true);
      return text
        .trim()
        .split("\n")
        .map((line) => ImportProgressLine.parse(JSON.parse(line)));
    };
    const lines = await send(csv(`Name,Email\n${rows}\n`));
    const phases = lines.flatMap((l) => ("phase" in l ? [l.phase] : []));
    expect(new Set(phases)).toEqual(new Set(["reading", "checking", "writing"]));
    const writing = lines.flatMap((l) => ("phase" in l && l.phase === "writing" ? [l.done] : []));
    expect(writing).toEqual([5000, 10_000, 12_000]);
    expect(lines.at(-1)).toEqual({
      result: {
        entity: "contacts",
        rows: 12_000,
        created: 12_000,
        updated: 0,
        skipped: 0,
        companiesCreated: 0,
      },
    });
    const failed = await send(csv("Name,Email\nBad,not-an-address\n"));
    const last = failed.at(-1);
    expect(last && "error" in last ? [last.error.code, last.error.rowErrors?.[0]?.line] : last).toEqual([
      "import_rows_invalid",
      2,
    ]);
  });

  // 10,000 rows in `npm test`, 100,000 under RAPPORT_DEEP_TESTS=1 (CI's time). The regression this case guards
  // (below, PGlite's) fails it only at full size, where the commit never ends; at 10,000 it costs a minute more
  // (measured: 22 s with the fix, 99 s without) and passes. `npm run bench -- --import` times 100,000 on both.
  const largeRows = process.env.RAPPORT_DEEP_TESTS === "1" ? 100_000 : 10_000;
  it(`commits ${largeRows.toLocaleString("en")} rows in one transaction`, async () => {
    // On a fresh store where a small import came first: the store's session then holds foreign-key checks planned
    // against small tables, and unless the import replans them after writing its contacts, checking 100,000
    // addresses scans the contacts table once per address (on PGlite this never ended).
    await server.close();
    server = await startTestServer(kind);
    const { token, orgId } = await organisation("large.example");
    const small = Array.from({ length: 300 }, (_, i) => `Small ${i},small${i}@large.example`).join("\n");
    expect(await commit(token, csv(`Name,Email\n${small}\n`))).toMatchObject({ created: 300 });
    const lines = ["Name,Email,Phone,Company,Company domain,Tags"];
    for (let i = 0; i < largeRows; i++)
      lines.push(
        `Person ${i},person${i}@c${i % 500}.large.example,+1 555 ${i},Company ${i % 500},c${i % 500}.large.example,t${i % 7}`,
      );
    const content = `${lines.join("\r\n")}\r\n`;
    const result = await commit(token, csv(content));
    expect(result).toEqual({
      entity: "contacts",
      rows: largeRows,
      created: largeRows,
      updated: 0,
      skipped: 0,
      companiesCreated: 500,
    });
    expect(await counts(orgId)).toEqual({
      contacts: largeRows + 300,
      companies: 500,
      emails: largeRows + 300,
      audits: 2,
    });
    const sample = await server.database.db
      .selectFrom("contacts as c")
      .innerJoin("contact_emails as e", "e.contact_id", "c.id")
      .innerJoin("companies as co", "co.id", "c.company_id")
      .select(["c.display_name", "c.phones", "c.tags", "co.domain"])
      .where("e.address", "=", `person${largeRows - 1}@c499.large.example`)
      .executeTakeFirstOrThrow();
    expect(sample).toEqual({
      display_name: `Person ${largeRows - 1}`,
      phones: [`+1 555 ${largeRows - 1}`],
      tags: [`t${(largeRows - 1) % 7}`],
      domain: "c499.large.example",
    });
    // Again, every row a duplicate now: all skipped, nothing added.
    expect(await commit(token, csv(content))).toMatchObject({ created: 0, skipped: largeRows });
    expect(await counts(orgId)).toMatchObject({
      contacts: largeRows + 300,
      emails: largeRows + 300,
      audits: 3,
    });
  }, 600_000);

  it("leaves the store as it was when the write fails halfway", async () => {
    const { token, orgId } = await organisation("halfway.example");
    await commit(token, csv("Name,Email\nKept,kept@halfway.example\n"));
    const before = await counts(orgId);
    const { db } = server.database;
    // A failure the checks cannot see coming: the store refuses one row of the third batch of contacts.
    await sql`
      create function refuse_boom() returns trigger language plpgsql as $$
      begin
        if new.display_name = 'Boom' then raise exception 'refused by the test'; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger refuse_boom before insert on contacts for each row execute function refuse_boom()`.execute(
      db,
    );
    try {
      const rows = Array.from({ length: 12_000 }, (_, i) =>
        i === 11_000 ? "Boom,boom@halfway.example" : `P ${i},p${i}@halfway.example`,
      );
      const response = await commitResponse(
        token,
        csv(`Name,Email,Company\n${rows.map((r) => `${r},Halfway Co`).join("\n")}\n`),
      );
      expect(response.status).toBe(500);
      expect(await counts(orgId)).toEqual(before);
    } finally {
      await sql`drop trigger refuse_boom on contacts`.execute(db);
      await sql`drop function refuse_boom()`.execute(db);
    }
  });

  describe("export", () => {
    it("exports contacts as CSV, Excel and vCard that import back into an empty organisation as they were", async () => {
      const source = await organisation("export.example");
      const target = await organisation("export-target.example");
      for (const { token } of [source, target])
        expectStatus(
          201,
          await server.request("POST", "/api/v1/custom-fields", {
            token,
            body: { entity: "contact", key: "size", label: "Head count", type: "number" },
          }),
        );
      const company = (
        await server.request<{ id: string }>("POST", "/api/v1/companies", {
          token: source.token,
          body: { name: "Customer, Inc.", domain: "customer-export.example" },
        })
      ).body.id;
      const people = [
        {
          displayName: "Anna Berg",
          firstName: "Anna",
          lastName: "Berg",
          title: "CEO; founder",
          emails: ["anna@customer-export.example", "anna.berg@home.example"],
          phones: ["+1 555 0100", "-22"],
          companyId: company,
          tags: ["vip", "renewal 2027"],
          lifecycleStage: "customer",
          customFields: { size: 120 },
        },
        {
          displayName: '=HYPERLINK("http://evil.example","Click")',
          emails: ["evil@customer-export.example"],
          title: "Line one\nline two",
        },
        { displayName: "Émile Zola 👩‍💼", emails: ["emile@customer-export.example"], tags: ["vip"] },
      ];
      for (const body of people)
        expectStatus(201, await server.request("POST", "/api/v1/contacts", { token: source.token, body }));

      const file = await fetch(`${server.baseUrl}/api/v1/contacts/export.csv`, {
        headers: { authorization: `Bearer ${source.token}` },
      });
      expect(file.status).toBe(200);
      expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(file.headers.get("content-disposition")).toBe('attachment; filename="contacts.csv"');
      // Read as bytes: fetch's text() would take the byte order mark away.
      const text = Buffer.from(await file.arrayBuffer()).toString("utf8");
      expect(
        text.startsWith(
          "\uFEFFName,First name,Last name,Emails,Phones,Job title,Company,Company domain,Tags,Lifecycle stage,Head count\r\n",
        ),
      ).toBe(true);
      // A name a spreadsheet would run stays text, and so does a phone starting with a sign.
      expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
      expect(text).toContain("+1 555 0100; -22");

      const shown = await preview(target.token, csv(text));
      expect(shown.columns.map((c) => c.field)).toEqual([
        "displayName",
        "firstName",
        "lastName",
        "email",
        "phone",
        "title",
        "companyName",
        "companyDomain",
        "tags",
        "lifecycleStage",
        "customFields.size",
      ]);
      expect(await commit(target.token, csv(text))).toMatchObject({ created: 3, companiesCreated: 1 });
      const comparable = (rows: Awaited<ReturnType<typeof storedContacts>>) =>
        rows.map((c) => ({
          name: c.display_name,
          first: c.first_name,
          last: c.last_name,
          title: c.title,
          emails: c.emails,
          phones: c.phones,
          tags: c.tags,
          stage: c.lifecycle_stage,
          custom: c.custom_fields,
          company: c.company,
          domain: c.company_domain,
        }));
      const original = comparable(await storedContacts(source.orgId));
      expect(comparable(await storedContacts(target.orgId))).toEqual(original);

      // vCards: the same people (vCards carry no lifecycle stage, custom fields or company domain).
      const cards = await server.request<string>("GET", "/api/v1/contacts/export.vcf", {
        token: source.token,
      });
      expect(cards.headers.get("content-type")).toBe("text/vcard; charset=utf-8");
      expect(cards.body.match(/BEGIN:VCARD\r\nVERSION:4\.0\r\n/g)).toHaveLength(3);
      expect(cards.body.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
      const fromCards = await organisation("export-vcard.example");
      expect(
        await commit(fromCards.token, { format: "vcard", entity: "contacts", content: cards.body }),
      ).toMatchObject({
        created: 3,
      });
      const strip = (rows: ReturnType<typeof comparable>) =>
        rows.map((c) => ({ ...c, stage: "lead", custom: {}, domain: null }));
      expect(comparable(await storedContacts(fromCards.orgId))).toEqual(strip(original));

      const workbook = new ExcelJS.Workbook();
      const xlsx = await fetch(`${server.baseUrl}/api/v1/contacts/export.xlsx`, {
        headers: { authorization: `Bearer ${source.token}` },
      });
      await workbook.xlsx.load(await xlsx.arrayBuffer());
      const sheet = workbook.worksheets[0];
      expect(sheet?.rowCount).toBe(4);
      const values = [2, 3, 4].map((n) => [
        sheet?.getRow(n).getCell(1).value,
        sheet?.getRow(n).getCell(11).value,
      ]);
      expect(values).toContainEqual(["Anna Berg", 120]);
    });

    it("exports what the contact list's search and a tag find", async () => {
      const { token } = await organisation("filter.example");
      for (const [displayName, tags] of [
        ["Anna Berg", ["vip"]],
        ["Bo Ek", ["vip"]],
        ["Carl Dahl", []],
      ] as const)
        await server.request("POST", "/api/v1/contacts", {
          token,
          body: { displayName, tags, emails: [`${displayName.split(" ")[0]?.toLowerCase()}@filter.example`] },
        });
      const names = async (query: string) => {
        const file = await server.request<string>("GET", `/api/v1/contacts/export.csv${query}`, { token });
        expect(file.status).toBe(200);
        return file.body
          .trim()
          .split("\r\n")
          .slice(1)
          .map((line) => line.split(",")[0]);
      };
      expect(await names("")).toEqual(["Anna Berg", "Bo Ek", "Carl Dahl"]);
      expect(await names("?tag=vip")).toEqual(["Anna Berg", "Bo Ek"]);
      expect(await names("?q=carl")).toEqual(["Carl Dahl"]);
      expect(await names("?q=bo%40filter")).toEqual(["Bo Ek"]);
      expect(await names("?q=nobody")).toEqual([]);
      const cards = await server.request<string>("GET", "/api/v1/contacts/export.vcf?tag=vip", { token });
      expect(cards.body.match(/^FN:.*$/gm)).toEqual(["FN:Anna Berg", "FN:Bo Ek"]);
    });
  });
});
