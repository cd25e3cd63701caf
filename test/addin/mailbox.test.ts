import { participantsOf } from "../../src/addin/core/participants";
import { type SimulatedMessage, createSimulatedMailbox } from "../../src/addin/office/simulated-mailbox";

const inbox: SimulatedMessage[] = [
  {
    id: "m1",
    internetMessageId: "<m1@fabrikam.example>",
    conversationId: "c1",
    subject: "Proposal",
    from: { address: "anna@fabrikam.example", name: "Anna Berg" },
    to: [
      { address: "Rita@Contoso.example", name: "Rita" },
      { address: "bo@fabrikam.example", name: null },
    ],
    cc: [
      { address: "ANNA@fabrikam.example", name: null },
      { address: "carl@fabrikam.example", name: "Carl" },
    ],
    sentAt: "2026-11-20T09:00:00.000Z",
    mode: "read",
    bodyText: "Hi Rita",
  },
  {
    id: "d1",
    internetMessageId: null,
    conversationId: null,
    subject: "Draft",
    from: null,
    to: [],
    cc: [],
    sentAt: null,
    mode: "compose",
    bodyText: "",
  },
];

describe("the mailbox boundary", () => {
  it("lists the sender first, then To and Cc, each address once and never the rep", async () => {
    const mailbox = createSimulatedMailbox({
      messages: inbox,
      userAddress: "rita@contoso.example",
      selected: "m1",
    });
    const message = await mailbox.readOpenMessage();
    expect(message && participantsOf(message, mailbox.userAddress()).map((p) => p.address)).toEqual([
      "anna@fabrikam.example",
      "bo@fabrikam.example",
      "carl@fabrikam.example",
    ]);
    expect(await mailbox.readBodyText()).toBe("Hi Rita");
  });

  it("tells the pane when another email is selected or a draft's recipients change, until it unsubscribes", async () => {
    const mailbox = createSimulatedMailbox({ messages: inbox, userAddress: "rita@contoso.example" });
    expect(await mailbox.readOpenMessage()).toBeNull();
    const changes: (string | null)[] = [];
    const unsubscribe = mailbox.onOpenMessageChanged(() => {
      void mailbox.readOpenMessage().then((m) => changes.push(m?.subject ?? null));
    });
    mailbox.select("d1");
    mailbox.updateDraft("d1", { to: [{ address: "anna@fabrikam.example", name: null }], cc: [] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(changes).toEqual(["Draft", "Draft"]);
    expect((await mailbox.readOpenMessage())?.to).toEqual([{ address: "anna@fabrikam.example", name: null }]);
    unsubscribe();
    mailbox.select("m1");
    await new Promise((resolve) => setImmediate(resolve));
    expect(changes).toHaveLength(2);
  });
});
