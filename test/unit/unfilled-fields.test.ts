import { unfilledWarning } from "../../src/addin/commands/unfilled-on-send";
import { MERGE_FIELDS, renderTemplate, unfilledText } from "../../src/shared/merge-fields";
import { unfilledFieldsIn } from "../../src/shared/unfilled-fields";

describe("finding merge fields a draft still shows unfilled", () => {
  it("finds every merge field's mark, and custom fields', as the rendered text shows them", () => {
    const names = [...MERGE_FIELDS, "contact.custom.tier", "company.custom.region", "deal.custom.po_number"];
    const text = names.map((name) => `before ${unfilledText(name)} after`).join("\n");
    expect(unfilledFieldsIn(text)).toEqual(names);
  });

  it("reads what rendering leaves in a draft, once Outlook hands the body back as text", () => {
    const rendered = renderTemplate(
      { subject: "x", html: "<p>Hi {{contact.firstName}}, {{contact.title}} at {{company.name}}</p>" },
      { "contact.firstName": "Anna" },
    );
    // Outlook keeps the mark's text whatever it does to the tag and its attributes.
    const asText = rendered.html.replace(/<[^>]*>/g, "");
    expect(unfilledFieldsIn(asText)).toEqual(rendered.unfilled);
    expect(rendered.unfilled).toEqual(["contact.title", "company.name"]);
  });

  it("names each field once, in the order it first appears", () => {
    expect(unfilledFieldsIn("[today] [rep.phone] [today] [rep.phone]")).toEqual(["today", "rep.phone"]);
  });

  it("leaves other brackets alone", () => {
    expect(
      unfilledFieldsIn(
        "[1] [see attachment] [contact] [contact.] [invoice.total] [rep.name extra] {{contact.title}}",
      ),
    ).toEqual([]);
  });

  it("names at most 20 fields however many a hostile body holds, reading it once", () => {
    const many = Array.from({ length: 5000 }, (_, i) => `[contact.custom.f${i}]`).join(" ");
    expect(unfilledFieldsIn(many)).toHaveLength(20);
    // A megabyte of almost-marks ends: each bracket is followed by a bounded run only.
    expect(unfilledFieldsIn(`[contact.${"a".repeat(49)}`.repeat(20_000))).toEqual([]);
  });
});

describe("the Smart Alerts warning", () => {
  it("is written in Outlook's display language, English for one we do not speak", () => {
    expect(unfilledWarning(["rep.title"], "de-DE")).toBe(
      "Diese E-Mail enthält noch Seriendruckfelder ohne Wert (1): rep.title. Füllen Sie sie aus oder senden Sie sie so.",
    );
    expect(unfilledWarning(["rep.title"], "no")).toMatch(
      /^E-posten har fortsatt flettefelt uten verdi \(1\)/,
    );
    expect(unfilledWarning(["rep.title"], "hr-HR")).toMatch(/^Ova e-poruka još ima polja/);
    expect(unfilledWarning(["rep.title"], "fi-FI")).toMatch(/^This email still has merge fields/);
    // A language named like an object's own member is no language of the table: English, not a thrown error
    // (which would let the draft go without the warning).
    expect(unfilledWarning(["rep.title"], "constructor")).toMatch(/^This email still has merge fields/);
    expect(unfilledWarning(["rep.title"], "toString-US")).toMatch(/^This email still has merge fields/);
  });

  it("stays within Outlook's 500 characters", () => {
    const fields = Array.from({ length: 20 }, (_, i) => `contact.custom.${"x".repeat(40)}${i}`);
    const warning = unfilledWarning(fields, "en-US");
    expect(warning.length).toBeLessThanOrEqual(500);
    expect(warning).toContain("(20)");
    expect(warning).toContain("…");
  });
});
