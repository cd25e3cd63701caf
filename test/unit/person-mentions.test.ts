import { ERASED, mentionsOf, scrubJson } from "../../src/server/person-data/mentions";

describe("finding an erased person in free text", () => {
  const anna = mentionsOf(
    ["Anna Berg", "Berg, Anna", null],
    ["anna.berg@fabrikam.example", "anna@berg.example"],
  );
  if (!anna) throw new Error("no mentions");

  it.each([
    ["Met Anna Berg today", `Met ${ERASED} today`],
    ["ANNA BERG is leaving", `${ERASED} is leaving`],
    ["Anna\nBerg signed", `${ERASED} signed`],
    ["From: Berg, Anna <anna.berg@fabrikam.example>", `From: ${ERASED} <${ERASED}>`],
    ["Write to Anna.Berg@Fabrikam.example.", `Write to ${ERASED}.`],
    ["Anna Berg's pilot", `${ERASED}'s pilot`],
  ])("rewrites %j", (text, expected) => {
    expect(anna.finds(text)).toBe(true);
    expect(anna.scrub(text)).toBe(expected);
  });

  it.each([
    "Anna Bergström is someone else",
    "Joanna Berg too",
    "xanna.berg@fabrikam.example is another address",
    "anna.berg@fabrikam.example.com is another domain",
    "Anna alone is not enough to say it is her",
  ])("leaves %j alone", (text) => {
    expect(anna.finds(text)).toBe(false);
    expect(anna.scrub(text)).toBe(text);
  });

  it("narrows rows with ILIKE patterns that every mention matches", () => {
    // ILIKE folds ASCII letters: one pattern per name and address is enough.
    expect(anna.patterns.sort()).toEqual(
      ["%anna.berg@fabrikam.example%", "%anna@berg.example%", "%Anna%Berg%", "%Berg,%Anna%"].sort(),
    );
    // Other letters get their case variants, for a store whose ILIKE folds only ASCII.
    expect(mentionsOf(["Åsa Öberg"], [])?.patterns.sort()).toEqual(
      ["%Åsa%Öberg%", "%åsa%öberg%", "%ÅSA%ÖBERG%"].sort(),
    );
    const like = (pattern: string, text: string) =>
      new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, "[\\s\\S]*")}$`, "i").test(
        text,
      );
    for (const text of ["Met Anna Berg today", "Anna\nBerg", "Mail anna@berg.example"])
      expect([text, anna.patterns.some((p) => like(p, text))]).toEqual([text, true]);
  });

  it("does not search for a one-word name, and has nothing to find without names or addresses", () => {
    const support = mentionsOf(["Support"], []);
    expect(support).toBeNull();
    const withAddress = mentionsOf(["Support"], ["support@vendor.example"]);
    expect(withAddress?.scrub("Support said: support@vendor.example")).toBe(`Support said: ${ERASED}`);
  });

  it("rewrites strings and keys of a JSON value, keeping its shape", () => {
    expect(
      scrubJson(
        { before: { displayName: "Anna Berg", emails: ["anna@berg.example"], n: 3 }, "Anna Berg": true },
        anna,
      ),
    ).toEqual({ before: { displayName: ERASED, emails: [ERASED], n: 3 }, [ERASED]: true });
  });
});
