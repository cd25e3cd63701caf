import { parseSignature, type SignatureFacts } from "../../src/shared/signature";

function from(address: string, name: string | null = null): { address: string; name: string | null } {
  return { address, name };
}

function body(...lines: string[]): string {
  return lines.join("\n");
}

const NOTHING: SignatureFacts = { title: null, company: null, phones: [], website: null };

const anna = from("anna.berg@fabrikam.se", "Anna Berg");
const thomas = from("thomas.mueller@contoso.de", "Thomas Müller");
const ola = from("ola.nordmann@northwind.no", "Ola Nordmann");
const ivana = from("ivana.horvat@konzum.hr", "Ivana Horvat");
const james = from("james.miller@northwind.com", "James Miller");
const erik = from("erik.lund@contoso.com", "Erik Lund");

const annasSignature = [
  "Best regards,",
  "Anna Berg",
  "CFO, Fabrikam AB",
  "Mobile: +46 70 123 45 67",
  "www.fabrikam.se",
];

describe("parseSignature: title and company", () => {
  it("takes the title and company from 'CFO, Fabrikam AB' under the name", () => {
    const text = body(
      "Hi Erik,",
      "",
      "Thanks for the call today. I'll send the contract tomorrow.",
      "",
      ...annasSignature,
    );
    expect(parseSignature(text, anna)).toEqual({
      title: "CFO",
      company: "Fabrikam AB",
      phones: ["+46 70 123 45 67"],
      website: "fabrikam.se",
    });
  });

  it("splits 'Head of Sales | Northwind Traders' into title and company", () => {
    const text = body(
      "Looking forward to it.",
      "",
      "Kind regards",
      "James Miller",
      "Head of Sales | Northwind Traders",
    );
    expect(parseSignature(text, james)).toMatchObject({
      title: "Head of Sales",
      company: "Northwind Traders",
    });
  });

  it("splits 'Key Account Manager – Contoso GmbH' at the dash", () => {
    const text = body(
      "Anbei das Angebot.",
      "",
      "Viele Grüße",
      "Thomas Müller",
      "Key Account Manager – Contoso GmbH",
    );
    expect(parseSignature(text, thomas)).toMatchObject({
      title: "Key Account Manager",
      company: "Contoso GmbH",
    });
  });

  it("reads the German 'Verkaufsleiter bei Contoso GmbH'", () => {
    const text = body("Mit freundlichen Grüßen", "Thomas Müller", "Verkaufsleiter bei Contoso GmbH");
    expect(parseSignature(text, thomas)).toMatchObject({ title: "Verkaufsleiter", company: "Contoso GmbH" });
  });

  it("reads the Swedish 'Försäljningschef på Fabrikam AB'", () => {
    const text = body(
      "Hej!",
      "Vi hörs nästa vecka.",
      "",
      "Med vänlig hälsning",
      "Anna Berg",
      "Försäljningschef på Fabrikam AB",
    );
    expect(parseSignature(text, anna)).toMatchObject({ title: "Försäljningschef", company: "Fabrikam AB" });
  });

  it("reads the Norwegian 'Salgssjef i Northwind AS'", () => {
    const text = body(
      "Hei,",
      "Takk for møtet.",
      "",
      "Vennlig hilsen",
      "Ola Nordmann",
      "Salgssjef i Northwind AS",
    );
    expect(parseSignature(text, ola)).toMatchObject({ title: "Salgssjef", company: "Northwind AS" });
  });

  it("reads the Croatian 'Voditeljica prodaje u Konzum d.d.'", () => {
    const text = body(
      "Poštovani,",
      "šaljem ponudu u prilogu.",
      "",
      "Lijep pozdrav",
      "Ivana Horvat",
      "Voditeljica prodaje u Konzum d.d.",
    );
    expect(parseSignature(text, ivana)).toMatchObject({
      title: "Voditeljica prodaje",
      company: "Konzum d.d.",
    });
  });

  it("keeps a place after 'i' as part of the title: 'Säljare i Göteborg' names no company", () => {
    const text = body("Hälsningar", "Anna Berg", "Säljare i Göteborg", "Fabrikam AB");
    expect(parseSignature(text, anna)).toMatchObject({ title: "Säljare i Göteborg", company: "Fabrikam AB" });
  });

  it("splits at 'bei' even when the title has no known job word", () => {
    const text = body("Viele Grüße", "Thomas Müller", "Werkstudent bei Contoso GmbH");
    expect(parseSignature(text, thomas)).toMatchObject({ title: "Werkstudent", company: "Contoso GmbH" });
  });

  it("keeps 'i' inside a Croatian title when no company follows it", () => {
    const text = body("Srdačan pozdrav", "Ivana Horvat", "Direktorica prodaje i marketinga", "Konzum d.d.");
    expect(parseSignature(text, ivana)).toMatchObject({
      title: "Direktorica prodaje i marketinga",
      company: "Konzum d.d.",
    });
  });

  it("takes the company from a line of its own that carries a legal form", () => {
    const text = body("Best regards", "Anna Berg", "CFO", "Fabrikam AB", "Storgatan 1", "111 22 Stockholm");
    expect(parseSignature(text, anna)).toMatchObject({ title: "CFO", company: "Fabrikam AB" });
  });

  it("finds the title below a company line that comes first", () => {
    const text = body("Med vennlig hilsen", "Ola Nordmann", "Northwind AS", "Daglig leder");
    expect(parseSignature(text, ola)).toMatchObject({ title: "Daglig leder", company: "Northwind AS" });
  });

  it("keeps 'Contoso, Inc.' whole as the company", () => {
    const text = body("Thanks,", "Erik Lund", "VP Engineering, Contoso, Inc.");
    expect(parseSignature(text, erik)).toMatchObject({ title: "VP Engineering", company: "Contoso, Inc." });
  });

  it("does not take a region after '|' as the company", () => {
    const text = body("Regards", "James Miller", "Head of Sales | Nordics");
    expect(parseSignature(text, james)).toMatchObject({ title: "Head of Sales, Nordics", company: null });
  });

  it("keeps a region after a comma as part of the title", () => {
    const text = body("Regards", "James Miller", "Sales Director, Nordics");
    expect(parseSignature(text, james)).toMatchObject({ title: "Sales Director, Nordics", company: null });
  });

  it("recognises a company without a legal form when it matches the sender's domain", () => {
    const text = body("Cheers", "James Miller", "Account Executive", "Northwind Traders", "+1 425 555 0100");
    expect(parseSignature(text, from("james@northwindtraders.com", "James Miller"))).toMatchObject({
      title: "Account Executive",
      company: "Northwind Traders",
    });
  });

  it("never takes a street address as the title", () => {
    const text = body("Best regards", "Anna Berg", "Storgatan 1, 111 22 Stockholm", "Fabrikam AB");
    expect(parseSignature(text, anna)).toMatchObject({ title: null, company: "Fabrikam AB" });
  });

  it("never takes an email, a website or a phone line as the title", () => {
    const text = body(
      "Best regards",
      "Anna Berg",
      "anna.berg@fabrikam.se",
      "www.fabrikam.se",
      "+46 70 123 45 67",
    );
    expect(parseSignature(text, anna)).toMatchObject({ title: null, company: null });
  });

  it("does not take a confidentiality notice under the name as a title", () => {
    const text = body(
      "Best regards",
      "Anna Berg",
      "This e-mail and any attachments are confidential and intended solely for the addressee.",
    );
    expect(parseSignature(text, anna)).toEqual(NOTHING);
  });

  it("reads title and company written on the name line itself", () => {
    const text = body("Thanks!", "", "Anna Berg, CFO | Fabrikam AB");
    expect(parseSignature(text, anna)).toMatchObject({ title: "CFO", company: "Fabrikam AB" });
  });

  it("skips pronouns in brackets after the name", () => {
    const text = body("Best,", "Anna Berg (she/her)", "Head of Marketing", "Fabrikam AB");
    expect(parseSignature(text, anna)).toMatchObject({ title: "Head of Marketing", company: "Fabrikam AB" });
  });

  it("matches a sender written surname-first, 'Berg, Anna', to 'Anna Berg' in the signature", () => {
    const text = body("Best regards", "Anna Berg", "Controller", "Fabrikam AB");
    expect(parseSignature(text, from("anna.berg@fabrikam.se", "Berg, Anna"))).toMatchObject({
      title: "Controller",
      company: "Fabrikam AB",
    });
  });

  it("matches a signature with an academic title before the name", () => {
    const text = body("Mit freundlichen Grüßen", "", "Dr. Thomas Müller", "Prokurist", "Contoso AG");
    expect(parseSignature(text, thomas)).toMatchObject({ title: "Prokurist", company: "Contoso AG" });
  });

  it("matches a German signature signed on someone's behalf, 'i.A. Thomas Müller'", () => {
    const text = body(
      "Mit freundlichen Grüßen",
      "i.A. Thomas Müller",
      "Vertriebsinnendienst",
      "Contoso GmbH",
    );
    expect(parseSignature(text, thomas)).toMatchObject({
      title: "Vertriebsinnendienst",
      company: "Contoso GmbH",
    });
  });

  it("believes a title without a known job word when a company line follows it", () => {
    const text = body("Hälsningar", "Anna Berg", "Tekniker", "Fabrikam AB");
    expect(parseSignature(text, anna)).toMatchObject({ title: "Tekniker", company: "Fabrikam AB" });
  });

  it("does not take a city under the name as the title", () => {
    const text = body("Hälsningar", "Anna Berg", "Stockholm", "+46 70 123 45 67");
    expect(parseSignature(text, anna)).toMatchObject({ title: null, phones: ["+46 70 123 45 67"] });
  });

  it("reads 'Fabrikam' above 'CFO' as the company", () => {
    const text = body("Best regards", "Anna Berg", "Fabrikam", "CFO");
    expect(parseSignature(text, anna)).toMatchObject({ title: "CFO", company: "Fabrikam" });
  });

  it("leaves degrees after the name out of the title", () => {
    const text = body("Pozdrav,", "Ivana Horvat, dipl. oec.", "Voditeljica nabave", "Konzum d.d.");
    expect(parseSignature(text, ivana)).toMatchObject({
      title: "Voditeljica nabave",
      company: "Konzum d.d.",
    });
    const withDegree = body("Best regards", "Anna Berg, PhD, Head of Research", "Fabrikam AB");
    expect(parseSignature(withDegree, anna)).toMatchObject({
      title: "Head of Research",
      company: "Fabrikam AB",
    });
  });

  it("believes an unusual title that reads like a name when the company follows it", () => {
    const text = body("Best regards", "Anna Berg", "Data Protection Delegate", "Fabrikam AB");
    expect(parseSignature(text, anna)).toMatchObject({
      title: "Data Protection Delegate",
      company: "Fabrikam AB",
    });
  });

  it("reads a one-line signature that starts with the sign-off", () => {
    const text = body("Talk soon.", "", "Best regards, Anna Berg | CFO | Fabrikam AB | +46 70 123 45 67");
    expect(parseSignature(text, anna)).toEqual({
      title: "CFO",
      company: "Fabrikam AB",
      phones: ["+46 70 123 45 67"],
      website: null,
    });
  });

  it("takes the full name line under a first-name sign-off", () => {
    const text = body("Thanks,", "Anna", "", "Anna Berg | Marketing Manager", "Fabrikam AB");
    expect(parseSignature(text, anna)).toMatchObject({ title: "Marketing Manager", company: "Fabrikam AB" });
  });

  it("reads the writer's name from 'Thanks, Maria' when the mailbox has none", () => {
    const text = body("Your order has shipped.", "", "Thanks, Maria", "Servicetekniker", "Fabrikam AB");
    expect(parseSignature(text, from("support@fabrikam.se", null))).toMatchObject({
      title: "Servicetekniker",
      company: "Fabrikam AB",
    });
  });

  it("reads the name from the sign-off line, as in 'Thanks, Anna'", () => {
    const text = body("See you then.", "", "Thanks, Anna", "Head of Procurement", "Fabrikam AB");
    expect(parseSignature(text, anna)).toMatchObject({
      title: "Head of Procurement",
      company: "Fabrikam AB",
    });
  });

  // A shared mailbox gives no name to look for, so these signatures are found by their sign-off alone.
  const sharedMailbox = from("support@fabrikam.se", null);

  it("treats a bilingual sign-off 'Med vänlig hälsning / Best regards' as a sign-off", () => {
    const text = body(
      "Se bifogad fil.",
      "",
      "Med vänlig hälsning / Best regards",
      "Anna Berg",
      "Tekniker",
      "Fabrikam AB",
    );
    expect(parseSignature(text, sharedMailbox)).toMatchObject({ title: "Tekniker", company: "Fabrikam AB" });
  });

  it("uses the '-- ' signature delimiter", () => {
    const text = body("Short note from the train.", "-- ", "Erik Lund", "Tekniker", "Fabrikam AB");
    expect(parseSignature(text, sharedMailbox)).toMatchObject({ title: "Tekniker", company: "Fabrikam AB" });
  });

  it("reads a signature without sign-off from the sender's name at the end of the mail", () => {
    const text = body("Please find the draft attached.", "", "Erik Lund", "Product Manager", "Contoso LLC");
    expect(parseSignature(text, erik)).toMatchObject({ title: "Product Manager", company: "Contoso LLC" });
  });

  it("reads a signature from a shared mailbox by the person's name right after the sign-off", () => {
    const text = body("Best regards", "Maria Lindqvist", "Servicetekniker", "Fabrikam AB");
    expect(parseSignature(text, from("info@fabrikam.se", "Fabrikam Support"))).toMatchObject({
      title: "Servicetekniker",
      company: "Fabrikam AB",
    });
  });

  it("without a sign-off or name, still reads a titled line above a phone number", () => {
    const text = body("Call me when you have a minute.", "", "CFO, Fabrikam AB", "+46 70 123 45 67");
    expect(parseSignature(text, from("info@fabrikam.se"))).toEqual({
      title: "CFO",
      company: "Fabrikam AB",
      phones: ["+46 70 123 45 67"],
      website: null,
    });
  });

  it("does not take a sentence that begins with 'Thanks' as a sign-off", () => {
    const text = body("Thanks for the update on the rollout", "Erik Lund", "Product Owner", "Contoso Ltd");
    expect(parseSignature(text, erik)).toMatchObject({ title: "Product Owner", company: "Contoso Ltd" });
  });

  it("does not take a sign-off-like greeting far above the end as the start of the signature", () => {
    const reply = Array.from({ length: 25 }, (_, index) => `Point ${index + 1} is fine as written.`);
    const text = body("Thanks, Erik", "", ...reply, "", "Erik Lund", "Service Manager", "+46 8 123 456 78");
    expect(parseSignature(text, from("support@contoso.se", null))).toEqual({
      title: "Service Manager",
      company: null,
      phones: ["+46 8 123 456 78"],
      website: null,
    });
  });

  it("returns nothing for a signature that is only a name", () => {
    expect(parseSignature(body("Sounds good.", "", "Best regards", "Anna Berg"), anna)).toEqual(NOTHING);
  });

  it("returns nothing for a mail without any signature", () => {
    expect(parseSignature("Can we move the meeting to 3 pm?", anna)).toEqual(NOTHING);
  });
});

describe("parseSignature: quoted history", () => {
  const quotedAnna = ["Hi Erik,", "Here is the contract.", "", ...annasSignature];

  it("does not pick another person's signature from an Outlook reply header block", () => {
    const text = body(
      "Hi Anna,",
      "",
      "Sounds good, see you Thursday.",
      "",
      "Erik",
      "",
      "________________________________",
      "From: Anna Berg <anna.berg@fabrikam.se>",
      "Sent: Monday, 3 November 2026 10:00",
      "To: Erik Lund <erik.lund@contoso.com>",
      "Subject: Contract",
      "",
      ...quotedAnna,
    );
    expect(parseSignature(text, erik)).toEqual(NOTHING);
  });

  it("takes the sender's own signature above the quoted history, not the quoted one", () => {
    const text = body(
      "Hi Anna,",
      "Signed copy attached.",
      "",
      "Kind regards",
      "Erik Lund",
      "Legal Counsel | Contoso Ltd",
      "Direct: +44 20 7946 0958",
      "www.contoso.co.uk",
      "",
      "From: Anna Berg <anna.berg@fabrikam.se>",
      "Sent: Monday, 3 November 2026 10:00",
      "To: Erik Lund",
      "",
      ...quotedAnna,
    );
    expect(parseSignature(text, from("erik.lund@contoso.co.uk", "Erik Lund"))).toEqual({
      title: "Legal Counsel",
      company: "Contoso Ltd",
      phones: ["+44 20 7946 0958"],
      website: "contoso.co.uk",
    });
  });

  it("cuts an Outlook header that a converter flattened onto one line", () => {
    const text = body(
      "Fine by me.",
      "",
      "From: Anna Berg <anna.berg@fabrikam.se> Sent: Monday, 3 November 2026 10:00 To: Erik Lund Subject: Contract",
      "",
      ...quotedAnna,
    );
    expect(parseSignature(text, erik)).toEqual(NOTHING);
  });

  it("cuts a German Outlook header 'Von: … Gesendet: …'", () => {
    const text = body(
      "Danke, passt.",
      "",
      "Von: Anna Berg <anna.berg@fabrikam.se>",
      "Gesendet: Montag, 3. November 2026 10:00",
      "An: Thomas Müller",
      "Betreff: Angebot",
      "",
      ...quotedAnna,
    );
    expect(parseSignature(text, thomas)).toEqual(NOTHING);
  });

  it("cuts Swedish, Norwegian and Croatian Outlook headers", () => {
    for (const [fromLabel, sentLabel] of [
      ["Från", "Skickat"],
      ["Fra", "Sendt"],
      ["Šalje", "Poslano"],
      ["Od", "Poslano"],
    ]) {
      const text = body(
        "OK!",
        "",
        `${fromLabel}: Anna Berg <anna.berg@fabrikam.se>`,
        `${sentLabel}: 3.11.2026 10:00`,
        "",
        ...quotedAnna,
      );
      expect(parseSignature(text, erik)).toEqual(NOTHING);
    }
  });

  it("cuts a Gmail-style 'On … wrote:' reply with quoted lines", () => {
    const text = body(
      "Works for me.",
      "",
      "On Mon, 3 Nov 2026 at 10:00, Anna Berg <anna.berg@fabrikam.se> wrote:",
      ...annasSignature.map((line) => `> ${line}`),
    );
    expect(parseSignature(text, erik)).toEqual(NOTHING);
  });

  it("cuts an 'On … wrote:' header wrapped over two lines", () => {
    const text = body(
      "Works for me.",
      "",
      "On Mon, 3 Nov 2026 at 10:00, Anna Berg",
      "wrote:",
      "",
      ...quotedAnna,
    );
    expect(parseSignature(text, erik)).toEqual(NOTHING);
  });

  it("cuts 'Am … schrieb …:', 'Den … skrev …:' and '… je napisao:' headers", () => {
    for (const header of [
      "Am 03.11.2026 um 10:00 schrieb Anna Berg <anna.berg@fabrikam.se>:",
      "Den 3 nov. 2026 kl. 10:00 skrev Anna Berg <anna.berg@fabrikam.se>:",
      "tis 3 nov. 2026 kl. 10:00 skrev Anna Berg <anna.berg@fabrikam.se>:",
      "Dana 3. stu 2026. u 10:00, Anna Berg <anna.berg@fabrikam.se> je napisao:",
      "3. stu 2026. u 10:00, Anna Berg je napisala:",
    ]) {
      const text = body("U redu.", "", header, "", ...quotedAnna);
      expect(parseSignature(text, erik)).toEqual(NOTHING);
    }
  });

  it("cuts a Norwegian 'Den … skrev …' header without a colon", () => {
    const text = body(
      "Ja, det går fint.",
      "",
      "Den 3. nov. 2026 kl. 10:00 skrev Anna Berg",
      "",
      ...quotedAnna,
    );
    expect(parseSignature(text, ola)).toEqual(NOTHING);
  });

  it("cuts '-----Original Message-----' and '-----Ursprüngliche Nachricht-----'", () => {
    for (const marker of ["-----Original Message-----", "-----Ursprüngliche Nachricht-----"]) {
      const text = body("Noted.", "", marker, "From: Anna Berg", "", ...quotedAnna);
      expect(parseSignature(text, erik)).toEqual(NOTHING);
    }
  });

  it("ignores '>' quoted lines even when the reply header is missing", () => {
    const text = body(
      "Agreed.",
      "",
      "Kind regards",
      "Erik Lund",
      "Contoso Ltd",
      "",
      ...annasSignature.map((line) => `> ${line}`),
    );
    expect(parseSignature(text, erik)).toEqual({
      title: null,
      company: "Contoso Ltd",
      phones: [],
      website: null,
    });
  });

  it("does not cut at a sentence that says 'wrote' and ends with a colon", () => {
    const text = body(
      "As I wrote last week, the new prices are:",
      "- Licence: 100 EUR",
      "",
      ...annasSignature,
    );
    expect(parseSignature(text, anna)).toMatchObject({ title: "CFO", company: "Fabrikam AB" });
  });

  it("does not cut at an ordinary sentence that starts with 'From:'", () => {
    const text = body("From: our side everything is ready.", "", ...annasSignature);
    expect(parseSignature(text, anna)).toMatchObject({ title: "CFO", company: "Fabrikam AB" });
  });

  it("ignores a mobile reply's 'Sent from my iPhone' and the signature quoted below it", () => {
    const text = body(
      "Sure, works for me.",
      "",
      "Erik",
      "",
      "Sent from my iPhone",
      "",
      "On 3 Nov 2026, at 10:00, Anna Berg <anna.berg@fabrikam.se> wrote:",
      "",
      ...annasSignature.map((line) => `> ${line}`),
    );
    expect(parseSignature(text, erik)).toEqual(NOTHING);
  });

  it("never takes a device footer as a title, even above a company footer added by the mail server", () => {
    for (const footer of [
      "Sent from my iPhone",
      "Skickat från min iPhone",
      "Von meinem iPhone gesendet",
      "Sendt fra min iPhone",
      "Get Outlook for Android",
    ]) {
      const text = body("Ok", "", "Best regards", "Anna Berg", footer, "Fabrikam AB");
      expect(parseSignature(text, anna)).toMatchObject({ title: null, company: "Fabrikam AB" });
    }
  });
});

describe("parseSignature: phones", () => {
  function phones(lines: string[], sender = anna, options?: { defaultCountry?: string }): string[] {
    return parseSignature(
      body("Hi,", "see attached.", "", "Best regards", "Anna Berg", ...lines),
      sender,
      options,
    ).phones;
  }

  it("formats '+46 70 123 45 67' internationally", () => {
    expect(phones(["Mobile: +46 70 123 45 67"])).toEqual(["+46 70 123 45 67"]);
  });

  it("reads the national '070-123 45 67' as Swedish for a .se sender", () => {
    expect(phones(["Mobil 070-123 45 67"])).toEqual(["+46 70 123 45 67"]);
  });

  it("does not read a national number when the sender's domain says nothing about the country", () => {
    expect(phones(["Mobil 070-123 45 67"], from("anna.berg@fabrikam.com", "Anna Berg"))).toEqual([]);
  });

  it("uses the defaultCountry option over the domain's guess", () => {
    expect(
      phones(["Mobil 070-123 45 67"], from("anna.berg@fabrikam.com", "Anna Berg"), { defaultCountry: "SE" }),
    ).toEqual(["+46 70 123 45 67"]);
  });

  it("drops the German '(0)' in '+49 (0)30 1234567'", () => {
    expect(phones(["Tel.: +49 (0)30 1234567"], thomas)).toEqual(["+49 30 1234567"]);
  });

  it("reads the '00' prefix of '0049 89 123456-0' even without a default country", () => {
    expect(phones(["Tel 0049 89 123456-0"], erik)).toEqual(["+49 89 1234560"]);
  });

  it("reads the Norwegian '+47 912 34 567'", () => {
    expect(phones(["Mobil: +47 912 34 567"], ola)).toEqual(["+47 91 23 45 67"]);
  });

  it("reads the Croatian '+385 91 234 5678'", () => {
    expect(phones(["Mobitel: +385 91 234 5678"], ivana)).toEqual(["+385 91 234 5678"]);
  });

  it("guesses the country from .de, .no, .hr and .co.uk senders", () => {
    expect(phones(["Telefon 030 1234567"], thomas)).toEqual(["+49 30 1234567"]);
    expect(phones(["Tlf 22 12 34 56"], ola)).toEqual(["+47 22 12 34 56"]);
    expect(phones(["Tel: 01 2345 678"], ivana)).toEqual(["+385 1 2345 678"]);
    expect(phones(["Phone 020 7946 0958"], from("anna@contoso.co.uk", "Anna Berg"))).toEqual([
      "+44 20 7946 0958",
    ]);
  });

  it("does not read '(555) 123-4567' for a .com sender, but reads it with +1", () => {
    expect(phones(["Cell (555) 123-4567"], erik)).toEqual([]);
    expect(phones(["Cell +1 (425) 555-0100"], erik)).toEqual(["+1 425 555 0100"]);
  });

  it("reads a US number written nationally when the caller says the country is US", () => {
    expect(phones(["Cell (425) 555-0100"], erik, { defaultCountry: "US" })).toEqual(["+1 425 555 0100"]);
  });

  it("ignores an unknown defaultCountry and falls back to the domain", () => {
    expect(phones(["Mobil 070-123 45 67"], anna, { defaultCountry: "ZZ" })).toEqual(["+46 70 123 45 67"]);
  });

  it("skips fax numbers, on their own line or next to a phone", () => {
    expect(phones(["Tel +49 30 1234567", "Fax +49 30 1234568"], thomas)).toEqual(["+49 30 1234567"]);
    expect(phones(["T: +49 30 1234567 | F: +49 30 1234568"], thomas)).toEqual(["+49 30 1234567"]);
    expect(phones(["Telefax: 030 1234568"], thomas)).toEqual([]);
  });

  it("lists the mobile before the office number", () => {
    expect(phones(["Tel: +46 8 123 456 78", "Mobile: +46 70 123 45 67"])).toEqual([
      "+46 70 123 45 67",
      "+46 8 123 456 78",
    ]);
  });

  it("lists the direct line before the switchboard", () => {
    expect(phones(["Växel: 08-123 456 00", "Direkt: 08-123 456 78"])).toEqual([
      "+46 8 123 456 78",
      "+46 8 123 456 00",
    ]);
  });

  it("puts an unlabelled mobile number before an unlabelled landline", () => {
    expect(phones(["08-123 456 78", "070-123 45 67"])).toEqual(["+46 70 123 45 67", "+46 8 123 456 78"]);
  });

  it("puts a German '-0' switchboard number last", () => {
    expect(phones(["Tel. 089 123456-0", "Tel. 089 123456-42"], thomas)).toEqual([
      "+49 89 12345642",
      "+49 89 1234560",
    ]);
  });

  it("ranks a number by its best label when it is written twice", () => {
    expect(phones(["Tel: +46 8 123 456 78", "Direct: +46 8 765 432 10", "Mobile: +46 8 123 456 78"])).toEqual(
      ["+46 8 123 456 78", "+46 8 765 432 10"],
    );
  });

  it("separates two numbers written side by side with a slash", () => {
    expect(phones(["Tel: 08-123 456 78 / 070-123 45 67"])).toEqual(["+46 70 123 45 67", "+46 8 123 456 78"]);
  });

  it("lists a number written twice only once", () => {
    expect(phones(["Mobile: +46 70 123 45 67", "M: 070-123 45 67"])).toEqual(["+46 70 123 45 67"]);
  });

  it("keeps at most three numbers", () => {
    const found = phones([
      "M +46 70 123 45 67",
      "D +46 8 123 456 78",
      "T +46 8 123 456 00",
      "T +46 31 123 45 67",
    ]);
    expect(found).toEqual(["+46 70 123 45 67", "+46 8 123 456 78", "+46 8 123 456 00"]);
  });

  it("does not take dates as phone numbers", () => {
    expect(phones(["Out of office 2026-11-03 to 2026-11-10", "Next visit 03.11.2026"])).toEqual([]);
  });

  it("does not take a Swedish organisation number as a phone number", () => {
    expect(phones(["Org.nr 556677-8899"])).toEqual([]);
    expect(phones(["Fabrikam AB (556677-8899)"])).toEqual([]);
    expect(phones(["Berg Konsult, 800101-1234"], anna, { defaultCountry: "US" })).toEqual([]);
  });

  it("does not take a Norwegian organisation number or a Croatian OIB as a phone number", () => {
    expect(phones(["Org.nr. 912 345 678 MVA"], ola)).toEqual([]);
    expect(phones(["OIB: 29955634590"], ivana)).toEqual([]);
  });

  it("does not take an IBAN, a VAT number or a register entry as a phone number", () => {
    expect(phones(["IBAN: SE45 5000 0000 0583 9825 7466", "BIC: ESSESESS"])).toEqual([]);
    expect(phones(["Bank: NL91 ABNA 0417 1643 00"])).toEqual([]);
    expect(
      phones(
        ["IBAN DE89 3704 0044 0532 0130 00", "USt-IdNr.: DE123456789", "Amtsgericht Berlin HRB 0123456"],
        thomas,
      ),
    ).toEqual([]);
  });

  it("does not take postal codes or order numbers as phone numbers", () => {
    expect(phones(["Storgatan 1, SE-111 22 Stockholm", "Order 0812345678"])).toEqual([]);
    expect(phones(["Hauptstraße 5, 10115 Berlin", "Bestellnummer: 0301234567"], thomas)).toEqual([]);
  });

  it("does not take an unlabelled national number without the trunk 0, such as a case number", () => {
    expect(phones(["Ärendenummer 123 456 789"])).toEqual([]);
    expect(phones(["Vorgang 4500123456"], thomas)).toEqual([]);
  });

  it("still finds a phone after an address on the same line", () => {
    expect(phones(["Box 12, 111 22 Stockholm, Tel 08-123 456 78"])).toEqual(["+46 8 123 456 78"]);
  });

  it("reads numbers from a table flattened with '|' separators", () => {
    expect(phones(["M +46 70 123 45 67 | T +46 8 123 456 78 | E anna.berg@fabrikam.se"])).toEqual([
      "+46 70 123 45 67",
      "+46 8 123 456 78",
    ]);
  });

  it("does not read numbers from the quoted history", () => {
    const text = body(
      "Thanks!",
      "Erik Lund",
      "",
      "-----Original Message-----",
      "From: Anna Berg",
      "Mobile: +46 70 123 45 67",
    );
    expect(parseSignature(text, erik).phones).toEqual([]);
  });
});

describe("parseSignature: website", () => {
  function website(lines: string[], sender = anna): string | null {
    return parseSignature(body("Best regards", "Anna Berg", ...lines), sender).website;
  }

  it("takes 'www.fabrikam.se' as the website", () => {
    expect(website(["www.fabrikam.se"])).toBe("fabrikam.se");
  });

  it("normalises a full URL to its domain", () => {
    expect(website(["https://www.Fabrikam.se/kontakt"])).toBe("fabrikam.se");
  });

  it("never takes a LinkedIn profile, and takes the company site after it", () => {
    expect(website(["linkedin.com/in/anna"])).toBeNull();
    expect(website(["linkedin.com/in/anna | www.fabrikam.se"])).toBe("fabrikam.se");
  });

  it("never takes Twitter/X, Facebook, Instagram or YouTube", () => {
    expect(
      website([
        "twitter.com/fabrikam",
        "x.com/fabrikam",
        "facebook.com/fabrikam",
        "instagram.com/fabrikam",
        "https://www.youtube.com/@fabrikam",
      ]),
    ).toBeNull();
  });

  it("does not take the domain of an email address as the website", () => {
    expect(website(["anna.berg@fabrikam.se", "anna.berg@gmail.com"])).toBeNull();
  });

  it("never takes a free-mail site", () => {
    expect(website(["www.gmail.com"])).toBeNull();
  });

  it("reads a bare company domain with a known TLD", () => {
    expect(website(["W: contoso.de"], thomas)).toBe("contoso.de");
  });

  it("does not take a file name or a legal form as a website", () => {
    expect(website(["[logo.png]", "Konzum d.d."])).toBeNull();
  });
});

describe("parseSignature: whole signatures", () => {
  it("reads a full German signature with register details", () => {
    const text = body(
      "Sehr geehrte Frau Berg,",
      "anbei unser Angebot.",
      "",
      "Mit freundlichen Grüßen",
      "",
      "Dr. Thomas Müller",
      "Geschäftsführer",
      "Contoso GmbH",
      "Hauptstraße 5",
      "10115 Berlin",
      "Tel.: +49 (0)30 1234567",
      "Mobil: +49 171 1234567",
      "Fax: +49 (0)30 1234568",
      "E-Mail: thomas.mueller@contoso.de",
      "www.contoso.de",
      "Amtsgericht Charlottenburg HRB 12345",
    );
    expect(parseSignature(text, thomas)).toEqual({
      title: "Geschäftsführer",
      company: "Contoso GmbH",
      phones: ["+49 171 1234567", "+49 30 1234567"],
      website: "contoso.de",
    });
  });

  it("reads a full Swedish signature with 'Mvh' and a switchboard", () => {
    const text = body(
      "Hej Erik,",
      "Tack för senast! Jag återkommer med offerten.",
      "",
      "Mvh",
      "Anna Berg",
      "Key Account Manager",
      "Fabrikam AB | Storgatan 1 | 111 22 Stockholm",
      "Växel: 08-123 456 00 | Mobil: 070-123 45 67",
      "Org.nr 556677-8899",
      "www.fabrikam.se",
    );
    expect(parseSignature(text, anna)).toEqual({
      title: "Key Account Manager",
      company: "Fabrikam AB",
      phones: ["+46 70 123 45 67", "+46 8 123 456 00"],
      website: "fabrikam.se",
    });
  });

  it("reads a full Norwegian signature", () => {
    const text = body(
      "Hei Anna,",
      "Det passer fint på torsdag.",
      "",
      "Med vennlig hilsen",
      "Ola Nordmann",
      "Salgssjef i Northwind AS",
      "Mobil: +47 912 34 567",
      "Sentralbord: +47 22 12 34 56",
      "Org.nr. 912 345 678 MVA",
      "www.northwind.no",
    );
    expect(parseSignature(text, ola)).toEqual({
      title: "Salgssjef",
      company: "Northwind AS",
      phones: ["+47 91 23 45 67", "+47 22 12 34 56"],
      website: "northwind.no",
    });
  });

  it("reads a full Croatian signature", () => {
    const text = body(
      "Poštovani,",
      "u prilogu šaljem ponudu.",
      "",
      "Srdačan pozdrav,",
      "Ivana Horvat",
      "Voditeljica prodaje",
      "Konzum d.d.",
      "Ulica Marijana Čavića 1a, 10000 Zagreb",
      "Tel: 01 2345 678",
      "Mobitel: 091 234 5678",
      "Fax: 01 2345 679",
      "OIB: 29955634590",
      "www.konzum.hr",
    );
    expect(parseSignature(text, ivana)).toEqual({
      title: "Voditeljica prodaje",
      company: "Konzum d.d.",
      phones: ["+385 91 234 5678", "+385 1 2345 678"],
      website: "konzum.hr",
    });
  });

  it("reads an English signature flattened from an HTML table", () => {
    const text = body(
      "Hi Anna,",
      "Great to meet you at the fair.",
      "",
      "Best,",
      "Erik Lund | Regional Sales Manager | Contoso Ltd",
      "T: +44 20 7946 0958 | M: +44 7911 123456 | E: erik.lund@contoso.co.uk | W: www.contoso.co.uk",
      "linkedin.com/in/eriklund",
    );
    expect(parseSignature(text, from("erik.lund@contoso.co.uk", "Erik Lund"))).toEqual({
      title: "Regional Sales Manager",
      company: "Contoso Ltd",
      phones: ["+44 7911 123456", "+44 20 7946 0958"],
      website: "contoso.co.uk",
    });
  });

  it("reads an Austrian signature with 'LG' and Handy", () => {
    const text = body(
      "Passt, bis morgen!",
      "",
      "LG",
      "Julia Gruber",
      "Einkäuferin",
      "Fabrikam Handels GmbH",
      "Handy: 0664 1234567",
    );
    expect(parseSignature(text, from("julia.gruber@fabrikam.at", "Julia Gruber"))).toEqual({
      title: "Einkäuferin",
      company: "Fabrikam Handels GmbH",
      phones: ["+43 664 1234567"],
      website: null,
    });
  });
});

describe("parseSignature: robustness", () => {
  it("returns nothing for empty or blank bodies", () => {
    expect(parseSignature("", anna)).toEqual(NOTHING);
    expect(parseSignature("   \n\n  ", anna)).toEqual(NOTHING);
  });

  it("does not throw on input that is not what the types promise", () => {
    const broken = parseSignature(
      null as unknown as string,
      null as unknown as { address: string; name: null },
    );
    expect(broken).toEqual(NOTHING);
  });

  it("reads Windows line endings and non-breaking spaces", () => {
    const text = [
      "Best regards",
      "Anna Berg",
      "CFO,\u00a0Fabrikam AB",
      "Mobile:\u00a0+46\u00a070\u00a0123\u00a045\u00a067",
    ].join("\r\n");
    expect(parseSignature(text, anna)).toMatchObject({
      title: "CFO",
      company: "Fabrikam AB",
      phones: ["+46 70 123 45 67"],
    });
  });

  it("still finds the signature at the end of a very long mail", () => {
    const prose = "We reviewed the proposal line by line and have a few comments.\n".repeat(20_000);
    expect(parseSignature(prose + annasSignature.join("\n"), anna)).toMatchObject({
      title: "CFO",
      company: "Fabrikam AB",
    });
  });

  it("reads a signature followed by a legal notice written as one long line", () => {
    const notice = "This message and any attachments are confidential and may be privileged. ".repeat(80);
    expect(parseSignature(body(...annasSignature, "", notice), anna)).toMatchObject({
      title: "CFO",
      company: "Fabrikam AB",
      phones: ["+46 70 123 45 67"],
    });
  });

  it("looks only at the end of the mail, so a signature far above a long text is not read", () => {
    const filler = "More notes about the project plan follow here.\n".repeat(200);
    const text = body(...annasSignature, "", filler, "Erik");
    expect(parseSignature(text, anna)).toEqual(NOTHING);
  });

  it("does not take a long legal line as the title", () => {
    const text = body(
      "Best regards",
      "Anna Berg",
      "Fabrikam AB is a company registered in Sweden with its seat in Stockholm",
      "Fabrikam AB",
    );
    expect(parseSignature(text, anna)).toMatchObject({ title: null, company: "Fabrikam AB" });
  });

  it("returns nothing for one huge line of digits and separators", () => {
    expect(parseSignature("+46 ".repeat(100_000), anna)).toEqual(NOTHING);
  });
});
