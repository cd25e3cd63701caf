import {
  canonicalDomain,
  domainOf,
  isFreeMailDomain,
  isWithinDomains,
  normalizeEmailAddress,
  parseMailbox,
  readEmailAddress,
} from "../../src/shared/email-address";

/** A well-formed address of exactly `total` characters: 64-character local part, labels of at most 50. */
function addressOfLength(total: number): string {
  const local = "a".repeat(64);
  let domain = "com";
  while (local.length + 1 + domain.length < total) {
    const room = total - (local.length + 1 + domain.length) - 1;
    domain = `${"d".repeat(Math.min(50, Math.max(1, room)))}.${domain}`;
  }
  return `${local}@${domain}`;
}

describe("normalizeEmailAddress", () => {
  it("treats Anna.Berg@Contoso.COM and anna.berg@contoso.com as one address", () => {
    expect(normalizeEmailAddress("Anna.Berg@Contoso.COM")).toBe("anna.berg@contoso.com");
    expect(normalizeEmailAddress("anna.berg@contoso.com")).toBe("anna.berg@contoso.com");
  });

  it("ignores whitespace picked up when an address is pasted", () => {
    expect(normalizeEmailAddress("  anna.berg@contoso.com\t\n")).toBe("anna.berg@contoso.com");
  });

  it("accepts an address copied from a mailto: link, without its subject", () => {
    expect(normalizeEmailAddress("mailto:Anna.Berg@Contoso.com")).toBe("anna.berg@contoso.com");
    expect(normalizeEmailAddress("MAILTO:anna@contoso.com?subject=Offer&body=Hi")).toBe("anna@contoso.com");
  });

  it.each([
    ["<anna@contoso.com>", "anna@contoso.com"],
    ['"anna@contoso.com"', "anna@contoso.com"],
    ["'anna@contoso.com'", "anna@contoso.com"],
    ["< Anna@Contoso.com >", "anna@contoso.com"],
    ['"<mailto:Anna@Contoso.com>"', "anna@contoso.com"],
  ])("unwraps %s as mail clients paste it", (input, expected) => {
    expect(normalizeEmailAddress(input)).toBe(expected);
  });

  it("reads a domain with a trailing root dot (the fully qualified form) as the domain itself", () => {
    expect(readEmailAddress("Bob@Blocked.example.")).toEqual({
      address: "bob@blocked.example",
      written: "bob@blocked.example",
    });
    expect(normalizeEmailAddress("<bob@müller.example.>")).toBe("bob@xn--mller-kva.example");
    expect(normalizeEmailAddress("bob@.")).toBeNull();
  });

  it("keeps dots and plus tags, which decide where the mail is delivered", () => {
    expect(normalizeEmailAddress("Anna.Berg+CRM@contoso.com")).toBe("anna.berg+crm@contoso.com");
    expect(normalizeEmailAddress("annaberg@contoso.com")).not.toBe(
      normalizeEmailAddress("anna.berg@contoso.com"),
    );
  });

  it("accepts subdomains and hyphenated domains", () => {
    expect(normalizeEmailAddress("anna@eu.mail.contoso-group.co.uk")).toBe(
      "anna@eu.mail.contoso-group.co.uk",
    );
  });

  it("accepts internationalised domains and local parts, lower-casing non-ASCII letters too", () => {
    expect(normalizeEmailAddress("Željka@Tvrtka-Čokolada.HR")).toBe("željka@xn--tvrtka-okolada-wzb.hr");
    expect(normalizeEmailAddress("BJÖRN@STRASSE.DE")).toBe("björn@strasse.de");
    expect(normalizeEmailAddress("anna@xn--strae-oqa.de")).toBe("anna@xn--strae-oqa.de");
  });

  it("treats a typed å and a decomposed a + ring as the same address", () => {
    const composed = "åsa@contoso.se";
    const decomposed = "a\u030asa@contoso.se";
    expect(decomposed).not.toBe(composed);
    expect(normalizeEmailAddress(decomposed)).toBe(composed);
  });

  it("treats a needlessly quoted local part as the plain one", () => {
    expect(normalizeEmailAddress('"anna"@contoso.com')).toBe("anna@contoso.com");
  });

  it("keeps the quotes where the local part needs them", () => {
    expect(normalizeEmailAddress('"Anna@Home"@Contoso.com')).toBe('"anna@home"@contoso.com');
  });

  it.each([
    ["an empty string", ""],
    ["only spaces", "   "],
    ["a word without @", "anna"],
    ["a missing domain", "anna@"],
    ["a missing local part", "@x.com"],
    ["two @ in a row", "anna@@x.com"],
    ["two separate @", "anna@bob@x.com"],
    ["a space in the local part", "anna berg@x.com"],
    ["a domain without a dot", "anna@x"],
    ["a one-letter top-level domain", "anna@x.c"],
    ["a label starting with a hyphen", "anna@-contoso.com"],
    ["a label ending with a hyphen", "anna@contoso-.com"],
    ["an empty label", "anna@contoso..com"],
    ["a leading dot in the domain", "anna@.contoso.com"],
    ["an underscore in the domain", "anna@con_toso.com"],
    ["a bare IP address", "anna@192.168.0.1"],
    ["an IP literal", "anna@[192.168.0.1]"],
    ["a display name with the address", "Anna Berg <anna@x.com>"],
    ["two addresses", "anna@x.com, bob@y.com"],
    ["an unclosed angle bracket", "<anna@x.com"],
    ["a stray closing angle bracket", "anna@x.com>"],
    ["an unclosed quote", '"anna@x.com'],
    ["a zero-width space", "anna\u200b@x.com"],
    ["a NUL character", "anna@x.com\u0000"],
    ["a tab inside", "anna\t@x.com"],
    ["a non-breaking space inside", "anna\u00a0berg@x.com"],
    ["only mailto:", "mailto:"],
  ])("rejects %s", (_label, input) => {
    expect(normalizeEmailAddress(input)).toBeNull();
  });

  it("rejects a 300-character address", () => {
    const address = addressOfLength(300);
    expect(address).toHaveLength(300);
    expect(normalizeEmailAddress(address)).toBeNull();
  });

  it("accepts addresses up to 254 characters and no longer", () => {
    expect(addressOfLength(254)).toHaveLength(254);
    expect(addressOfLength(255)).toHaveLength(255);
    expect(normalizeEmailAddress(addressOfLength(254))).toBe(addressOfLength(254));
    expect(normalizeEmailAddress(addressOfLength(255))).toBeNull();
  });

  it("accepts a 64-character local part and rejects a 65-character one", () => {
    expect(normalizeEmailAddress(`${"a".repeat(64)}@x.com`)).not.toBeNull();
    expect(normalizeEmailAddress(`${"a".repeat(65)}@x.com`)).toBeNull();
  });

  it("measures the local part in UTF-8 bytes, as mail servers do", () => {
    expect(normalizeEmailAddress(`${"ö".repeat(32)}@x.com`)).not.toBeNull();
    expect(normalizeEmailAddress(`${"ö".repeat(33)}@x.com`)).toBeNull();
  });

  it("accepts domain labels up to 63 characters", () => {
    expect(normalizeEmailAddress(`anna@${"a".repeat(63)}.com`)).not.toBeNull();
    expect(normalizeEmailAddress(`anna@${"a".repeat(64)}.com`)).toBeNull();
  });
});

describe("parseMailbox", () => {
  it("reads a bare address as a mailbox without a name", () => {
    expect(parseMailbox(" Anna.Berg@Contoso.com ")).toEqual({
      address: "anna.berg@contoso.com",
      written: "anna.berg@contoso.com",
      name: null,
    });
  });

  it("reads the name and address of Anna Berg <anna@x.com>", () => {
    expect(parseMailbox("Anna Berg <anna@x.com>")).toEqual({
      address: "anna@x.com",
      written: "anna@x.com",
      name: "Anna Berg",
    });
  });

  it("reads a quoted surname-first name, keeping it as written", () => {
    expect(parseMailbox('"Berg, Anna" <Anna@X.com>')).toEqual({
      address: "anna@x.com",
      written: "anna@x.com",
      name: "Berg, Anna",
    });
  });

  it("reads a single-quoted name", () => {
    expect(parseMailbox("'Anna' <a@x.com>")).toEqual({
      address: "a@x.com",
      written: "a@x.com",
      name: "Anna",
    });
  });

  it("reads an address in angle brackets without a name", () => {
    expect(parseMailbox("<a@x.com>")).toEqual({ address: "a@x.com", written: "a@x.com", name: null });
  });

  it("needs no space between the name and the angle bracket", () => {
    expect(parseMailbox("Anna Berg<anna@x.com>")).toEqual({
      address: "anna@x.com",
      written: "anna@x.com",
      name: "Anna Berg",
    });
  });

  it("trims the name", () => {
    expect(parseMailbox('  "  Anna Berg  "   <anna@x.com>')).toEqual({
      address: "anna@x.com",
      written: "anna@x.com",
      name: "Anna Berg",
    });
  });

  it("unescapes quotes inside a quoted name", () => {
    expect(parseMailbox('"Anna \\"AB\\" Berg" <anna@x.com>')).toEqual({
      address: "anna@x.com",
      written: "anna@x.com",
      name: 'Anna "AB" Berg',
    });
  });

  it("keeps diacritics in the name", () => {
    expect(parseMailbox("Željka Šimić <zeljka.simic@tvrtka.hr>")).toEqual({
      address: "zeljka.simic@tvrtka.hr",
      written: "zeljka.simic@tvrtka.hr",
      name: "Željka Šimić",
    });
  });

  it("does not take an address repeated as the name for a name", () => {
    expect(parseMailbox('"anna@x.com" <anna@x.com>')).toEqual({
      address: "anna@x.com",
      written: "anna@x.com",
      name: null,
    });
    expect(parseMailbox("'Anna@X.com' <anna@x.com>")).toEqual({
      address: "anna@x.com",
      written: "anna@x.com",
      name: null,
    });
  });

  it("keeps a different address used as the name, since it is what the sender chose", () => {
    expect(parseMailbox('"bob@y.com" <anna@x.com>')).toEqual({
      address: "anna@x.com",
      written: "anna@x.com",
      name: "bob@y.com",
    });
  });

  it("treats an empty quoted name as no name", () => {
    expect(parseMailbox('"" <anna@x.com>')).toEqual({
      address: "anna@x.com",
      written: "anna@x.com",
      name: null,
    });
  });

  it("reads the older address (Name) form", () => {
    expect(parseMailbox("Anna@X.com (Anna Berg)")).toEqual({
      address: "anna@x.com",
      written: "anna@x.com",
      name: "Anna Berg",
    });
  });

  it.each([
    ["a name without an address", "Anna Berg"],
    ["empty angle brackets", "Anna Berg <>"],
    ["an invalid address", "Anna <anna@>"],
    ["an empty string", ""],
    ["a list of two mailboxes", "Anna <a@x.com>, Bob <b@y.com>"],
    ["a list of two addresses", "a@x.com, b@y.com"],
    ["a name after the address", "<anna@x.com> Anna"],
  ])("rejects %s", (_label, input) => {
    expect(parseMailbox(input)).toBeNull();
  });
});

describe("domainOf", () => {
  it("gives the lower-cased domain of an address", () => {
    expect(domainOf("Anna@EU.Contoso.COM")).toBe("eu.contoso.com");
  });

  it("takes the part after the last @, so a quoted @ in the local part does not confuse it", () => {
    expect(domainOf('"anna@home"@contoso.com')).toBe("contoso.com");
  });

  it("treats input without @ as a domain already", () => {
    expect(domainOf("Contoso.COM")).toBe("contoso.com");
  });
});

describe("isFreeMailDomain", () => {
  it.each([
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "outlook.se",
    "outlook.de",
    "outlook.com.br",
    "hotmail.com",
    "hotmail.se",
    "hotmail.no",
    "hotmail.co.uk",
    "hotmail.fr",
    "live.com",
    "live.se",
    "live.co.uk",
    "msn.com",
    "yahoo.com",
    "yahoo.se",
    "yahoo.co.uk",
    "yahoo.com.au",
    "yahoo.co.jp",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "gmx.de",
    "gmx.net",
    "gmx.at",
    "gmx.ch",
    "web.de",
    "t-online.de",
    "freenet.de",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "yandex.ru",
    "yandex.com",
    "mail.ru",
    "zoho.com",
    "fastmail.com",
    "hey.com",
    "tutanota.com",
    "qq.com",
    "163.com",
    "comcast.net",
    "telia.com",
    "online.no",
    "bredband.net",
    "spray.se",
    "tele2.se",
    "start.no",
    "t-com.hr",
    "net.hr",
  ])("says %s tells nothing about the company", (domain) => {
    expect(isFreeMailDomain(domain)).toBe(true);
  });

  it("ignores case", () => {
    expect(isFreeMailDomain("GMail.COM")).toBe(true);
    expect(isFreeMailDomain("Hotmail.SE")).toBe(true);
  });

  it("accepts the domain written with @ or as a whole address", () => {
    expect(isFreeMailDomain("@gmail.com")).toBe(true);
    expect(isFreeMailDomain("anna.berg@hotmail.se")).toBe(true);
  });

  it("counts subdomains of free-mail providers as free mail", () => {
    expect(isFreeMailDomain("mail.gmx.de")).toBe(true);
    expect(isFreeMailDomain("eu.mail.yahoo.co.uk")).toBe(true);
    expect(isFreeMailDomain("users.net.hr")).toBe(true);
  });

  it.each([
    "contoso.com",
    "contoso.se",
    "tvrtka.hr",
    "microsoft.com",
    "google.com",
    "notgmail.com",
    "gmail.contoso.com",
    "live.contoso.com",
    "outlook.contoso.se",
    "hotmail.com.contoso.net",
    "yahoo-inc.com",
    "me.contoso.com",
    "telia.se.contoso.com",
    "",
  ])("treats %s as a company domain", (domain) => {
    expect(isFreeMailDomain(domain)).toBe(false);
  });
});

describe("isWithinDomains", () => {
  const internal = ["contoso.com", "@Contoso-Group.SE"];

  it("matches the domain itself", () => {
    expect(isWithinDomains("contoso.com", internal)).toBe(true);
  });

  it("puts eu.contoso.com within contoso.com", () => {
    expect(isWithinDomains("eu.contoso.com", internal)).toBe(true);
    expect(isWithinDomains("mail.eu.contoso.com", internal)).toBe(true);
  });

  it("does not put notcontoso.com within contoso.com", () => {
    expect(isWithinDomains("notcontoso.com", internal)).toBe(false);
  });

  it("does not put a look-alike that merely starts with the domain within it", () => {
    expect(isWithinDomains("contoso.com.evil.net", internal)).toBe(false);
  });

  it("does not put a parent domain within one of its subdomains", () => {
    expect(isWithinDomains("contoso.com", ["eu.contoso.com"])).toBe(false);
  });

  it("ignores case and a leading @ on either side", () => {
    expect(isWithinDomains("EU.CONTOSO.COM", internal)).toBe(true);
    expect(isWithinDomains("contoso-group.se", internal)).toBe(true);
    expect(isWithinDomains("@sales.contoso-group.se", internal)).toBe(true);
  });

  it("accepts a whole address as the domain to check", () => {
    expect(isWithinDomains("anna@eu.contoso.com", internal)).toBe(true);
  });

  it("is false for an empty list", () => {
    expect(isWithinDomains("contoso.com", [])).toBe(false);
  });

  it("never lets a blank entry match every domain", () => {
    expect(isWithinDomains("fabrikam.com", ["", " ", "@"])).toBe(false);
    expect(isWithinDomains("", ["contoso.com"])).toBe(false);
  });
});

describe("internationalised domains", () => {
  it("treats jorg@müller.example and jorg@xn--mller-kva.example as one address", () => {
    expect(normalizeEmailAddress("jorg@müller.example")).toBe("jorg@xn--mller-kva.example");
    expect(normalizeEmailAddress("jorg@xn--mller-kva.example")).toBe("jorg@xn--mller-kva.example");
    expect(normalizeEmailAddress("JORG@MÜLLER.EXAMPLE")).toBe("jorg@xn--mller-kva.example");
    expect(normalizeEmailAddress("Jorg@XN--MLLER-KVA.Example")).toBe("jorg@xn--mller-kva.example");
    expect(normalizeEmailAddress("jorg@mu\u0308ller.example")).toBe("jorg@xn--mller-kva.example");
  });

  it("keeps the address as it was written beside its canonical form", () => {
    expect(readEmailAddress(" <Jorg@Müller.example> ")).toEqual({
      address: "jorg@xn--mller-kva.example",
      written: "jorg@müller.example",
    });
    expect(readEmailAddress("jorg@xn--mller-kva.example")).toEqual({
      address: "jorg@xn--mller-kva.example",
      written: "jorg@xn--mller-kva.example",
    });
    expect(parseMailbox("Jörg Müller <jorg@müller.example>")).toEqual({
      address: "jorg@xn--mller-kva.example",
      written: "jorg@müller.example",
      name: "Jörg Müller",
    });
  });

  it("leaves the local part as it is: only the domain has an ASCII form", () => {
    expect(normalizeEmailAddress("Željka@Tvrtka-Čokolada.HR")).toBe("željka@xn--tvrtka-okolada-wzb.hr");
    expect(normalizeEmailAddress("björn@contoso.se")).toBe("björn@contoso.se");
  });

  it("keeps ß: straße.de and strasse.de are different domains (IDNA 2008, as browsers resolve them)", () => {
    expect(normalizeEmailAddress("anna@straße.de")).toBe("anna@xn--strae-oqa.de");
    expect(normalizeEmailAddress("anna@strasse.de")).toBe("anna@strasse.de");
  });

  it("converts each label on its own: mixed ASCII and Unicode labels, Unicode top-level domains", () => {
    expect(normalizeEmailAddress("anna@eu.müller.example")).toBe("anna@eu.xn--mller-kva.example");
    expect(normalizeEmailAddress("anna@müller.xn--mller-kva.example")).toBe(
      "anna@xn--mller-kva.xn--mller-kva.example",
    );
    expect(normalizeEmailAddress("a@हिन्दी.भारत")).toBe("a@xn--j2bd4cyah0f.xn--h2brj9c");
  });

  it("gives a Greek domain one canonical form in capitals and in small letters (IDNA, not JavaScript, lower-cases it)", () => {
    // JavaScript lower-cases a final Σ to ς, IDNA maps every Σ to σ: lower-casing first made two mailboxes of one.
    expect(normalizeEmailAddress("x@ΟΔΟΣ-1.gr")).toBe("x@xn---1-k9b7bby.gr");
    expect(normalizeEmailAddress("x@οδοσ-1.gr")).toBe("x@xn---1-k9b7bby.gr");
    expect(normalizeEmailAddress("X@Οδοσ-1.GR")).toBe("x@xn---1-k9b7bby.gr");
    expect(canonicalDomain("@ΟΔΟΣ-1.gr")).toBe("xn---1-k9b7bby.gr");
    expect(isWithinDomains("x@ΟΔΟΣ-1.gr", ["οδοσ-1.gr"])).toBe(true);
    // A final ς typed as such is its own letter in IDNA 2008, as ß is: another domain.
    expect(normalizeEmailAddress("x@οδος-1.gr")).toBe("x@xn---1-k9b7bbs.gr");
  });

  it("maps compatibility characters as IDNA does: full-width letters are the plain domain", () => {
    expect(normalizeEmailAddress("anna@ＣＯＮＴＯＳＯ.com")).toBe("anna@contoso.com");
  });

  it.each([
    ["a label that starts with a combining mark", "anna@\u0301a.example"],
    ["a punycode label that decodes to nothing valid", "anna@xn--a.example"],
    ["a punycode label ending in a hyphen", "anna@xn--abc-.example"],
    ["a label whose ASCII form is longer than 63 characters", `anna@${"ö".repeat(60)}.example`],
  ])("rejects %s", (_label, input) => {
    expect(normalizeEmailAddress(input)).toBeNull();
  });

  it("gives a domain's canonical form from a domain, an @domain entry or an address", () => {
    expect(canonicalDomain("müller.example")).toBe("xn--mller-kva.example");
    expect(canonicalDomain("@Müller.Example.")).toBe("xn--mller-kva.example");
    expect(canonicalDomain("jorg@xn--mller-kva.example")).toBe("xn--mller-kva.example");
    expect(canonicalDomain("contoso.com")).toBe("contoso.com");
    expect(canonicalDomain("not a domain")).toBeNull();
    expect(canonicalDomain(`${"ü".repeat(100_000)}.example`)).toBeNull();
  });

  it("matches a domain and its subdomains in either spelling", () => {
    expect(isWithinDomains("eu.müller.example", ["xn--mller-kva.example"])).toBe(true);
    expect(isWithinDomains("jorg@xn--mller-kva.example", ["@Müller.example"])).toBe(true);
    expect(isWithinDomains("xn--mller-kva.example", ["müller.example"])).toBe(true);
    expect(isWithinDomains("mueller.example", ["müller.example"])).toBe(false);
  });

  it("knows free mail in any spelling", () => {
    expect(isFreeMailDomain("ｇｍａｉｌ.com")).toBe(true);
  });
});
