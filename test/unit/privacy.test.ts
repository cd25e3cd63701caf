import { isBlocked, isBulkOrAutomated, reasonNotToLog } from "../../src/shared/privacy";

const policy = {
  internalDomains: ["contoso.example", "@contoso-labs.example"],
  blocklist: ["ceo@fabrikam.example", "@hr.fabrikam.example", "@lawyers.example", "  ", "not an entry"],
};

describe("the privacy rules every automatic logging path applies", () => {
  it("never logs mail among the organisation's own domains only, subdomains included", () => {
    expect(
      reasonNotToLog(["rita@contoso.example", "bo@eu.contoso.example", "x@contoso-labs.example"], {}, policy),
    ).toBe("internal_only");
    expect(reasonNotToLog(["rita@contoso.example", "anna@fabrikam.example"], {}, policy)).toBeNull();
    // A lookalike domain is not ours.
    expect(reasonNotToLog(["rita@contoso.example", "x@notcontoso.example"], {}, policy)).toBeNull();
  });

  it("skips a message with any blocked participant: exact addresses in any spelling, and @domain entries with subdomains", () => {
    expect(isBlocked("CEO@Fabrikam.example", policy.blocklist)).toBe(true);
    expect(isBlocked('"Ceo" <ceo@fabrikam.example>', policy.blocklist)).toBe(false); // a mailbox, not an address
    expect(isBlocked("anna@fabrikam.example", policy.blocklist)).toBe(false);
    expect(isBlocked("payroll@hr.fabrikam.example", policy.blocklist)).toBe(true);
    expect(isBlocked("x@eu.lawyers.example", policy.blocklist)).toBe(true);
    expect(isBlocked("x@notlawyers.example", policy.blocklist)).toBe(false);
    expect(
      reasonNotToLog(["rita@contoso.example", "anna@fabrikam.example", "ceo@fabrikam.example"], {}, policy),
    ).toBe("blocked_participant");
  });

  it("skips bulk and automated mail by its headers, whatever their case", () => {
    expect(isBulkOrAutomated({ "List-Unsubscribe": "<mailto:u@news.example>" })).toBe(true);
    expect(isBulkOrAutomated({ "list-id": "<news.example>" })).toBe(true);
    expect(isBulkOrAutomated({ Precedence: "Bulk" })).toBe(true);
    expect(isBulkOrAutomated({ "Auto-Submitted": "auto-replied" })).toBe(true);
    expect(isBulkOrAutomated({ "Auto-Submitted": "no" })).toBe(false);
    expect(isBulkOrAutomated({ Precedence: "first-class", Subject: "List-Id" })).toBe(false);
    expect(reasonNotToLog(["anna@fabrikam.example"], { "List-Id": "x" }, policy)).toBe("bulk_or_automated");
  });

  it("has nothing to log without a readable participant", () => {
    expect(reasonNotToLog([], {}, policy)).toBe("no_participants");
    expect(reasonNotToLog(["not an address"], {}, policy)).toBe("no_participants");
  });

  it("skips a message with a participant it cannot read, rather than apply the rules without them", () => {
    // Whoever it is could be blocked, or the one outsider on internal mail: not knowing is not a yes.
    expect(reasonNotToLog(["rita@contoso.example", "anna@fabrikam.example", "anna@"], {}, policy)).toBe(
      "unreadable_participant",
    );
    expect(
      reasonNotToLog(
        ["rita@contoso.example", "/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=bob"],
        {},
        policy,
      ),
    ).toBe("unreadable_participant");
  });

  it("blocks an address written with a trailing root dot", () => {
    expect(reasonNotToLog(["rita@contoso.example", "x@hr.fabrikam.example."], {}, policy)).toBe(
      "blocked_participant",
    );
    expect(reasonNotToLog(["rita@contoso.example", "CEO@fabrikam.example."], {}, policy)).toBe(
      "blocked_participant",
    );
    expect(reasonNotToLog(["rita@contoso.example", "bo@contoso.example."], {}, policy)).toBe("internal_only");
  });
});

describe("the privacy rules with internationalised domains", () => {
  const rules = {
    internalDomains: ["xn--mller-kva.example"],
    blocklist: ["ceo@xn--frbr-loac.example", "@xn--anwlte-dua.example"],
  };

  it("finds internal mail whichever spelling Outlook handed", () => {
    expect(reasonNotToLog(["rita@müller.example", "bo@eu.xn--mller-kva.example"], {}, rules)).toBe(
      "internal_only",
    );
  });

  it("blocks an address or a domain whichever spelling the message carries", () => {
    expect(isBlocked("CEO@Färbär.example", rules.blocklist)).toBe(true);
    expect(isBlocked("x@büro.anwälte.example", rules.blocklist)).toBe(true);
    expect(isBlocked("ceo@xn--frbr-loac.example", ["ceo@färbär.example"])).toBe(true);
    expect(isBlocked("x@anwalte.example", rules.blocklist)).toBe(false);
  });
});
