import {
  MERGE_FIELDS,
  type MergeSources,
  customFieldOf,
  isMergeField,
  mergeFieldProblems,
  mergeValuesOf,
  renderTemplate,
  scanMergeFields,
} from "../../src/shared/merge-fields";

const NBSP = "\u00a0";
const NO_CUSTOM = { contact: new Set<string>(), company: new Set<string>(), deal: new Set<string>() };
const known = (name: string) => isMergeField(name, NO_CUSTOM);

describe("the merge field syntax", () => {
  it("reads {{name}} with spaces inside the braces, and leaves a {{ that never closes as text", () => {
    expect(scanMergeFields("Hi {{ contact.firstName }}, {{today}} {{ open", false)).toEqual([
      { kind: "text", text: "Hi " },
      { kind: "field", name: "contact.firstName", raw: " contact.firstName ", inMarkup: false },
      { kind: "text", text: ", " },
      { kind: "field", name: "today", raw: "today", inMarkup: false },
      { kind: "text", text: " {{ open" },
    ]);
  });

  it("tells a field inside a tag from one in the text", () => {
    const segments = scanMergeFields('<a title="{{rep.name}}" href="x">{{rep.name}}</a>', true);
    expect(segments.filter((s) => s.kind === "field").map((s) => s.kind === "field" && s.inMarkup)).toEqual([
      true,
      false,
    ]);
    // In a subject (plain text) angle brackets are only text.
    expect(scanMergeFields("<{{rep.name}}>", false)[1]).toMatchObject({ kind: "field", inMarkup: false });
  });

  it("knows the fixed fields, and custom fields only by the keys defined", () => {
    for (const field of MERGE_FIELDS) expect([field, known(field)]).toEqual([field, true]);
    expect(customFieldOf("deal.custom.tier")).toEqual({ entity: "deal", key: "tier" });
    expect(customFieldOf("deal.custom.Tier")).toBeNull();
    expect(isMergeField("deal.custom.tier", { ...NO_CUSTOM, deal: new Set(["tier"]) })).toBe(true);
    expect(isMergeField("contact.custom.tier", { ...NO_CUSTOM, deal: new Set(["tier"]) })).toBe(false);
    for (const wrong of ["contact.firstname", "constructor", "__proto__", "contact", "", "contact.custom."])
      expect([wrong, known(wrong)]).toEqual([wrong, false]);
  });

  it("lists each problem once: unknown names, fields in tags, fields broken by formatting", () => {
    expect(
      mergeFieldProblems(
        '{{contact.titel}} {{contact.titel}} <img alt="{{rep.name}}"> {{contact.<b>firstName</b>}}',
        true,
        known,
      ),
    ).toEqual([
      { field: "contact.titel", reason: "unknown" },
      { field: "rep.name", reason: "in_markup" },
      { field: "contact.<b>firstName</b>", reason: "unknown" },
    ]);
    expect(
      mergeFieldProblems(Array.from({ length: 1000 }, (_, i) => `{{unknown${i}}}`).join(" "), false, known),
    ).toHaveLength(20);
  });
});

describe("rendering", () => {
  it("puts every value in as text, and marks and lists each field with no value once", () => {
    const rendered = renderTemplate(
      {
        subject: "{{contact.title}}: offer for {{contact.firstName}}",
        html: "<p>{{contact.firstName}} {{contact.title}} {{contact.title}}</p><p>{{rep.signature}}</p>",
      },
      {
        "contact.firstName": '<img src=x onerror="steal()">&',
        "contact.title": "  ",
        "rep.signature": "A\nB",
      },
    );
    expect(rendered.subject).toBe('[contact.title]: offer for <img src=x onerror="steal()">&');
    expect(rendered.html).toBe(
      '<p>&lt;img src=x onerror=&quot;steal()&quot;&gt;&amp; <mark data-rapport-unfilled="contact.title">[contact.title]</mark> ' +
        '<mark data-rapport-unfilled="contact.title">[contact.title]</mark></p><p>A<br>B</p>',
    );
    expect(rendered.unfilled).toEqual(["contact.title"]);
  });

  it("finds no value on Object's prototype, and leaves a field inside a tag as written", () => {
    const rendered = renderTemplate(
      { subject: "{{constructor}} {{toString}}", html: '<a title="{{contact.firstName}}">x</a>' },
      { "contact.firstName": "Anna" },
    );
    expect(rendered.subject).toBe("[constructor] [toString]");
    expect(rendered.html).toBe('<a title="{{contact.firstName}}">x</a>');
  });
});

describe("values in the variant's language", () => {
  const sources = (language: MergeSources["language"]): MergeSources => ({
    language,
    today: new Date("2026-12-31T23:30:00Z"),
    timeZone: "Europe/Berlin",
    contact: {
      firstName: "Anna",
      lastName: null,
      title: null,
      language: "nb",
      customFields: { seats: 2500.5, renewal: "2027-03-01", note: "" },
    },
    company: null,
    deal: { name: "Licence", amount: 1234567.8, currency: "EUR", stage: "Proposal", customFields: {} },
    rep: { name: "Ada", title: null, phone: null, signature: null },
    customFieldTypes: { contact: { seats: "number", renewal: "date", note: "text" }, company: {}, deal: {} },
  });

  it("writes amounts, numbers and dates as each language does, today in the rep's time zone", () => {
    const de = mergeValuesOf(sources("de"));
    expect(de["deal.amount"]).toBe(`1.234.567,80${NBSP}€`);
    expect(de.today).toBe("1. Januar 2027");
    expect(de["contact.custom.seats"]).toBe("2.500,5");
    expect(de["contact.custom.renewal"]).toBe("1. März 2027");
    expect(de["contact.language"]).toBe("Norsk bokmål");
    expect(mergeValuesOf(sources("en"))["deal.amount"]).toBe("€1,234,567.80");
    expect(mergeValuesOf(sources("hr"))["deal.amount"]).toBe(`1.234.567,80${NBSP}€`);
    expect(mergeValuesOf(sources("sv"))["contact.custom.seats"]).toBe(`2${NBSP}500,5`);
  });

  it("leaves a field with no value null: an empty custom field, no company, no deal", () => {
    const values = mergeValuesOf({ ...sources("en"), deal: null });
    expect(values["contact.custom.note"]).toBeNull();
    expect(values["company.name"]).toBeNull();
    expect(values["deal.amount"]).toBeNull();
    expect(values["contact.lastName"]).toBeNull();
  });
});
