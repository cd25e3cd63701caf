import { graphEmail } from "../../src/server/sync/graph-email";
import type { GraphMessage } from "../../src/server/sync/mail-graph";

const privacy = { internalDomains: ["contoso.example"], blocklist: [] };
const message = (fields: Partial<GraphMessage>): GraphMessage => ({
  id: "m1",
  internetMessageId: "<m1@fabrikam.example>",
  subject: "Renewal",
  from: { emailAddress: { address: "anna@fabrikam.example", name: "Anna Berg" } },
  toRecipients: [{ emailAddress: { address: "rita@contoso.example", name: "Rita" } }],
  sentDateTime: "2026-11-20T10:00:00Z",
  ...fields,
});

describe("a message from the mailbox sync as the email to log", () => {
  it("keeps a display name longer than the contract takes as far as it takes one, rather than skip the email", () => {
    const candidate = graphEmail(
      message({
        from: { emailAddress: { address: "anna@fabrikam.example", name: ` ${"Anna ".repeat(100)}` } },
      }),
      "rita@contoso.example",
      "inbox",
      privacy,
      "excerpt",
    );
    expect("input" in candidate && candidate.input.from).toEqual({
      address: "anna@fabrikam.example",
      name: "Anna ".repeat(60).trimEnd(),
    });
  });

  it("skips an email with a participant it cannot read, an address longer than an address can be too", () => {
    const withCc = (address: string | null | undefined) =>
      graphEmail(
        message({ ccRecipients: [{ emailAddress: { address, name: "Someone" } }] }),
        "rita@contoso.example",
        "inbox",
        privacy,
        "excerpt",
      );
    // The blocklist and the internal-only rule never saw such a participant: the email went out logged.
    for (const address of [
      `${"a".repeat(1_000_000)}@fabrikam.example`,
      "/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=bob",
      "bob@",
      null,
    ])
      expect(withCc(address)).toEqual({ skip: "unreadable_participant" });
    expect("input" in withCc("bob@fabrikam.example")).toBe(true);
  });

  it("applies the blocklist to an address written with a trailing root dot", () => {
    const candidate = graphEmail(
      message({ ccRecipients: [{ emailAddress: { address: "bob@blocked.example.", name: "Bob" } }] }),
      "rita@contoso.example",
      "inbox",
      { ...privacy, blocklist: ["@blocked.example"] },
      "excerpt",
    );
    expect(candidate).toEqual({ skip: "blocked_participant" });
  });
});
