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

  it("takes a recipient's address longer than an address can be for none, and logs the email without it", () => {
    const candidate = graphEmail(
      message({
        toRecipients: [
          { emailAddress: { address: "rita@contoso.example", name: "Rita" } },
          { emailAddress: { address: `${"a".repeat(1_000_000)}@fabrikam.example`, name: "Long" } },
        ],
      }),
      "rita@contoso.example",
      "inbox",
      privacy,
      "excerpt",
    );
    expect("input" in candidate && candidate.input.to).toEqual([
      { address: "rita@contoso.example", name: "Rita" },
    ]);
  });
});
