import { parsePersonName, type PersonName } from "../../src/shared/person-name";

function name(displayName: string, firstName: string | null, lastName: string | null): PersonName {
  return { displayName, firstName, lastName };
}

describe("parsePersonName from a display name", () => {
  it("splits Anna Berg into first name Anna and last name Berg", () => {
    expect(parsePersonName("Anna Berg")).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("reads the surname-first Berg, Anna that Exchange address books use", () => {
    expect(parsePersonName("Berg, Anna")).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("reads a surname-first name with a particle", () => {
    expect(parsePersonName("van der Berg, Anna")).toEqual(name("Anna van der Berg", "Anna", "van der Berg"));
  });

  it.each([
    ['"Anna Berg (Contoso)"'],
    ["Anna Berg (Contoso)"],
    ["Anna Berg | Contoso"],
    ["Anna Berg | Contoso AB | Sales"],
    ["Anna Berg - Contoso AB"],
    ["Anna Berg – Contoso AB"],
    ["Anna Berg via LinkedIn"],
    ["[EXTERNAL] Anna Berg"],
    ["Anna Berg [Contoso]"],
    ["Anna Berg, Contoso AB"],
    ["Anna Berg, PhD"],
    ["Anna Berg (Contoso"],
  ])("leaves the company or label out of %s", (displayName) => {
    expect(parsePersonName(displayName)).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("drops the company from a surname-first name", () => {
    expect(parsePersonName("Berg, Anna (Contoso)")).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("keeps a hyphenated double name together", () => {
    expect(parsePersonName("Anna-Karin Berg")).toEqual(name("Anna-Karin Berg", "Anna-Karin", "Berg"));
  });

  it("fixes a name written in capitals", () => {
    expect(parsePersonName("ANNA BERG")).toEqual(name("Anna Berg", "Anna", "Berg"));
    expect(parsePersonName("BERG, ANNA")).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("fixes a name written all in lower case", () => {
    expect(parsePersonName("anna berg")).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("capitalises each part of hyphenated and apostrophe names written in capitals", () => {
    expect(parsePersonName("ANNA-KARIN O'BRIEN")).toEqual(
      name("Anna-Karin O'Brien", "Anna-Karin", "O'Brien"),
    );
  });

  it("keeps particles lower-case when fixing a name in capitals", () => {
    expect(parsePersonName("ANNA VAN DER BERG")).toEqual(name("Anna van der Berg", "Anna", "van der Berg"));
  });

  it("does not take a final word that looks like a particle for one", () => {
    expect(parsePersonName("ANNA LE")).toEqual(name("Anna Le", "Anna", "Le"));
  });

  it.each([
    ["Ronald McDonald", "Ronald", "McDonald"],
    ["Anna van der Berg", "Anna", "van der Berg"],
    ["DeShawn Jones", "DeShawn", "Jones"],
    ["anna van der Berg", "anna", "van der Berg"],
    ["Jean-Claude Van Damme", "Jean-Claude", "Van Damme"],
  ])("keeps the mixed-case name %s exactly as written", (displayName, firstName, lastName) => {
    expect(parsePersonName(displayName)).toEqual(name(displayName, firstName, lastName));
  });

  it.each([
    ["Dr. Anna Berg"],
    ["Dr Anna Berg"],
    ["Mr Anna Berg"],
    ["Mrs. Anna Berg"],
    ["Ms Anna Berg"],
    ["Prof. Anna Berg"],
    ["Prof. Dr. Anna Berg"],
    ["Herr Anna Berg"],
    ["Frau Dr. Anna Berg"],
    ["Fru Anna Berg"],
    ["DR. ANNA BERG"],
  ])("drops the title from %s", (displayName) => {
    expect(parsePersonName(displayName)).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("reads the single word after a title as the surname", () => {
    expect(parsePersonName("Herr Schmidt")).toEqual(name("Schmidt", null, "Schmidt"));
    expect(parsePersonName("Dr. Berg")).toEqual(name("Berg", null, "Berg"));
  });

  it("reads a single word as a first name", () => {
    expect(parsePersonName("Anna")).toEqual(name("Anna", "Anna", null));
    expect(parsePersonName("ANNA")).toEqual(name("Anna", "Anna", null));
  });

  it("keeps a particle with the last name", () => {
    expect(parsePersonName("Anna van der Berg")).toEqual(name("Anna van der Berg", "Anna", "van der Berg"));
    expect(parsePersonName("Ludwig von Mises")).toEqual(name("Ludwig von Mises", "Ludwig", "von Mises"));
    expect(parsePersonName("Hilma af Klint")).toEqual(name("Hilma af Klint", "Hilma", "af Klint"));
  });

  it("keeps middle names with the first name", () => {
    expect(parsePersonName("Anna Maria Berg")).toEqual(name("Anna Maria Berg", "Anna Maria", "Berg"));
    expect(parsePersonName("Jan Erik van Dijk")).toEqual(name("Jan Erik van Dijk", "Jan Erik", "van Dijk"));
  });

  it("keeps initials with their dots", () => {
    expect(parsePersonName("A. Berg")).toEqual(name("A. Berg", "A.", "Berg"));
  });

  it.each([
    ["Željka Šimić", "Željka", "Šimić"],
    ["Đurđa Čačić", "Đurđa", "Čačić"],
    ["Åsa Öberg", "Åsa", "Öberg"],
    ["Bjørn Ødegård", "Bjørn", "Ødegård"],
    ["Jürgen Groß", "Jürgen", "Groß"],
  ])("keeps the diacritics of %s", (displayName, firstName, lastName) => {
    expect(parsePersonName(displayName)).toEqual(name(displayName, firstName, lastName));
  });

  it("fixes capitals without losing diacritics", () => {
    expect(parsePersonName("ŽELJKA ŠIMIĆ")).toEqual(name("Željka Šimić", "Željka", "Šimić"));
    expect(parsePersonName("BJØRN ØDEGÅRD")).toEqual(name("Bjørn Ødegård", "Bjørn", "Ødegård"));
    expect(parsePersonName("ÅSA ÖBERG")).toEqual(name("Åsa Öberg", "Åsa", "Öberg"));
  });

  it("tidies spacing, typographic quotes and stray symbols", () => {
    expect(parsePersonName("  Anna    Berg  ")).toEqual(name("Anna Berg", "Anna", "Berg"));
    expect(parsePersonName("“Anna Berg”")).toEqual(name("Anna Berg", "Anna", "Berg"));
    expect(parsePersonName("Anna Berg 🚀")).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("prefers the display name over the address", () => {
    expect(parsePersonName("Anna Berg", "a.b@contoso.com")).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("uses the display name of a person writing from a role mailbox", () => {
    expect(parsePersonName("Anna Berg", "info@contoso.com")).toEqual(name("Anna Berg", "Anna", "Berg"));
  });
});

describe("parsePersonName from the address", () => {
  it.each([
    ["an empty display name", ""],
    ["a blank display name", "   "],
    ["no display name", null],
    ["an undefined display name", undefined],
  ])("derives Anna Berg from anna.berg@ when there is %s", (_label, displayName) => {
    expect(parsePersonName(displayName, "anna.berg@contoso.com")).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("derives the name when the display name is the address itself", () => {
    expect(parsePersonName("anna.berg@contoso.com", "anna.berg@contoso.com")).toEqual(
      name("Anna Berg", "Anna", "Berg"),
    );
    expect(parsePersonName("'Anna.Berg@Contoso.com'", "anna.berg@contoso.com")).toEqual(
      name("Anna Berg", "Anna", "Berg"),
    );
  });

  it("derives the name from a display name that is an address when no address is given", () => {
    expect(parsePersonName("anna.berg@contoso.com")).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("derives the name from the address when the display name is some other address", () => {
    expect(parsePersonName("shared@fabrikam.com", "anna.berg@contoso.com")).toEqual(
      name("Anna Berg", "Anna", "Berg"),
    );
  });

  it("derives the name when the display name only repeats the local part", () => {
    expect(parsePersonName("anna.berg", "anna.berg@contoso.com")).toEqual(name("Anna Berg", "Anna", "Berg"));
    expect(parsePersonName("Anna.Berg", "anna.berg@contoso.com")).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("falls back to the address when the display name has no letters", () => {
    expect(parsePersonName("---", "anna.berg@contoso.com")).toEqual(name("Anna Berg", "Anna", "Berg"));
    expect(parsePersonName("(Contoso)", "anna.berg@contoso.com")).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it.each([
    ["anna_berg@contoso.com"],
    ["anna-berg@contoso.com"],
    ["Anna.Berg@Contoso.com"],
    ["anna.berg2@contoso.com"],
    ["2anna.berg@contoso.com"],
    ["anna.berg+crm@contoso.com"],
    ["mailto:anna.berg@contoso.com"],
    ["anna..berg@contoso.com"],
  ])("derives Anna Berg from %s", (address) => {
    expect(parsePersonName(null, address)).toEqual(name("Anna Berg", "Anna", "Berg"));
  });

  it("derives an initial as the first name from a.berg@", () => {
    expect(parsePersonName(null, "a.berg@contoso.com")).toEqual(name("A Berg", "A", "Berg"));
  });

  it("derives a first name only from a single-word address", () => {
    expect(parsePersonName(null, "anna@contoso.com")).toEqual(name("Anna", "Anna", null));
  });

  it("keeps a hyphenated first name together when dots separate the words", () => {
    expect(parsePersonName(null, "anna-karin.berg@contoso.com")).toEqual(
      name("Anna-Karin Berg", "Anna-Karin", "Berg"),
    );
  });

  it("keeps particles with the last name and lower-case", () => {
    expect(parsePersonName(null, "anna.van.der.berg@contoso.com")).toEqual(
      name("Anna van der Berg", "Anna", "van der Berg"),
    );
  });

  it("keeps diacritics from an internationalised address", () => {
    expect(parsePersonName(null, "željka.šimić@tvrtka.hr")).toEqual(name("Željka Šimić", "Željka", "Šimić"));
  });

  it("does not mistake a surname that is also a role word for a role mailbox", () => {
    expect(parsePersonName(null, "anna.post@contoso.com")).toEqual(name("Anna Post", "Anna", "Post"));
  });

  it.each([
    "info",
    "sales",
    "support",
    "contact",
    "hello",
    "admin",
    "office",
    "noreply",
    "no-reply",
    "no_reply",
    "donotreply",
    "do-not-reply",
    "billing",
    "invoice",
    "mailer-daemon",
    "postmaster",
    "team",
    "kontakt",
    "post",
    "hej",
    "Info",
    "info2",
    "support24",
    "sales.se",
    "info-hr",
    "noreply-4711",
    "notifications-noreply",
    "support.team",
  ])("gives no name for the role mailbox %s@", (local) => {
    expect(parsePersonName(null, `${local}@contoso.com`)).toBeNull();
  });

  it("gives no name when the display name only repeats a role mailbox", () => {
    expect(parsePersonName("info", "info@contoso.com")).toBeNull();
    expect(parsePersonName("noreply@contoso.com", "noreply@contoso.com")).toBeNull();
  });

  it("gives no name when the address has no letters", () => {
    expect(parsePersonName(null, "12345@contoso.com")).toBeNull();
    expect(parsePersonName("", "1.2-3@contoso.com")).toBeNull();
  });

  it("gives no name for an invalid address", () => {
    expect(parsePersonName(null, "anna.berg@")).toBeNull();
    expect(parsePersonName("", "not an address")).toBeNull();
  });

  it("gives no name when there is nothing at all", () => {
    expect(parsePersonName(null)).toBeNull();
    expect(parsePersonName(undefined, null)).toBeNull();
    expect(parsePersonName("   ")).toBeNull();
    expect(parsePersonName("Dr.")).toBeNull();
    expect(parsePersonName("(Contoso)")).toBeNull();
  });
});
