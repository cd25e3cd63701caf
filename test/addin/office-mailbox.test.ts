import { RAPPORT_KEY_PROPERTY, createOfficeMailbox } from "../../src/addin/office/office-mailbox";

type Callback<T> = (result: { status: string; value: T; error?: { message: string } }) => void;
const succeeded = <T>(value: T) => ({ status: "succeeded", value });

/** Office.js as Outlook gives it to the pane: only what the mailbox boundary reads, shaped as Outlook's. */
function officeWith(item: Record<string, unknown>, requirements: string[] = ["1.5", "1.7"]) {
  const handlers: string[] = [];
  const data = {
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Text: "text" },
    EventType: {
      ItemChanged: "olkItemSelectedChanged",
      RecipientsChanged: "olkRecipientsChanged",
      OfficeThemeChanged: "officeThemeChanged",
    },
    MailboxEnums: {
      ItemType: { Message: "message" },
      ItemNotificationMessageType: {
        InformationalMessage: "informationalMessage",
        ErrorMessage: "errorMessage",
      },
    },
    context: {
      displayLanguage: "sv-SE",
      officeTheme: { bodyBackgroundColor: "#1f1f1f" },
      requirements: {
        isSetSupported: (_name: string, version: string) => requirements.includes(version),
      },
      mailbox: {
        item,
        userProfile: { emailAddress: "Rita@Contoso.example" },
        addHandlerAsync: (event: string) => void handlers.push(event),
        removeHandlerAsync: () => undefined,
      },
    },
  };
  // A plain object rather than office-addin-mock's OfficeMockObject: that one turns arrays (recipients) and
  // dates into mock objects, which Outlook never hands over.
  (globalThis as { Office?: unknown }).Office = data;
  return { handlers };
}

const address = (emailAddress: string, displayName: string) => ({ emailAddress, displayName });

describe("the Office.js mailbox, over Office.js as Outlook shapes it", () => {
  afterEach(() => {
    delete (globalThis as { Office?: unknown }).Office;
  });

  it("reads a received email as plain data, with the Rapport key a sent copy carries", async () => {
    officeWith({
      itemType: "message",
      internetMessageId: "<q3@fabrikam.example>",
      conversationId: "c1",
      subject: "Proposal for Q3",
      from: address("anna@fabrikam.example", "Anna Berg"),
      to: [address("rita@contoso.example", "rita@contoso.example")],
      cc: [],
      dateTimeCreated: new Date("2026-11-20T09:30:00Z"),
      body: { getAsync: (_type: string, callback: Callback<string>) => callback(succeeded("Hi Rita")) },
      loadCustomPropertiesAsync: (callback: Callback<{ get(name: string): unknown }>) =>
        callback(succeeded({ get: (name: string) => (name === RAPPORT_KEY_PROPERTY ? "k-123" : undefined) })),
    });
    const mailbox = createOfficeMailbox();
    expect(await mailbox.readOpenMessage()).toEqual({
      internetMessageId: "<q3@fabrikam.example>",
      rapportKey: "k-123",
      conversationId: "c1",
      subject: "Proposal for Q3",
      from: { address: "anna@fabrikam.example", name: "Anna Berg" },
      to: [{ address: "rita@contoso.example", name: null }],
      cc: [],
      sentAt: "2026-11-20T09:30:00.000Z",
      mode: "read",
    });
    expect(await mailbox.readBodyText()).toBe("Hi Rita");
    expect(mailbox.userAddress()).toBe("rita@contoso.example");
    expect(mailbox.displayLanguage()).toBe("sv-SE");
    expect(mailbox.prefersDark()).toBe(true);
  });

  it("logs by message id alone when the item's custom properties cannot be read", async () => {
    officeWith({
      itemType: "message",
      internetMessageId: "<x@fabrikam.example>",
      subject: "No properties",
      from: address("anna@fabrikam.example", "Anna Berg"),
      to: [],
      cc: [],
      loadCustomPropertiesAsync: (callback: Callback<null>) =>
        callback({ status: "failed", value: null, error: { message: "not available" } }),
    });
    expect((await createOfficeMailbox().readOpenMessage())?.rapportKey).toBeNull();
  });

  it("reads a draft's recipients in compose mode and listens for their changes where Outlook can tell", async () => {
    const { handlers } = officeWith({
      itemType: "message",
      conversationId: null,
      subject: { getAsync: (callback: Callback<string>) => callback(succeeded("Follow-up")) },
      to: {
        getAsync: (callback: Callback<unknown[]>) =>
          callback(succeeded([address("anna@fabrikam.example", "Anna Berg")])),
      },
      cc: { getAsync: (callback: Callback<unknown[]>) => callback(succeeded([])) },
      addHandlerAsync: (event: string) => void handlers.push(event),
      removeHandlerAsync: () => undefined,
    });
    const mailbox = createOfficeMailbox();
    expect(await mailbox.readOpenMessage()).toMatchObject({
      mode: "compose",
      internetMessageId: null,
      subject: "Follow-up",
      to: [{ address: "anna@fabrikam.example", name: "Anna Berg" }],
    });
    const stop = mailbox.onOpenMessageChanged(() => undefined);
    expect(handlers.sort()).toEqual(["olkItemSelectedChanged", "olkRecipientsChanged"]);
    stop();
  });

  it("follows the theme only where Outlook tells of its changes (Mailbox 1.14)", () => {
    const older = officeWith({ itemType: "message" }, ["1.5"]);
    createOfficeMailbox().onThemeChanged(() => undefined);
    expect(older.handlers).toEqual([]);
    const newer = officeWith({ itemType: "message" }, ["1.5", "1.14"]);
    createOfficeMailbox().onThemeChanged(() => undefined);
    expect(newer.handlers).toEqual(["officeThemeChanged"]);
  });

  it("says what a command did on the item's notification bar, one line at a time, within Outlook's 150 characters", async () => {
    const shown: { key: string; details: { type: string; message: string } }[] = [];
    officeWith({
      itemType: "message",
      notificationMessages: {
        replaceAsync: (key: string, details: { type: string; message: string }, callback: Callback<void>) => {
          shown.push({ key, details });
          callback(succeeded(undefined));
        },
      },
    });
    const mailbox = createOfficeMailbox();
    await mailbox.notify("Logged to Rapport · Anna Berg", "info");
    await mailbox.notify("x".repeat(200), "error");
    expect(shown.map((s) => [s.key, s.details.type, s.details.message.length])).toEqual([
      ["rapport", "informationalMessage", 29],
      ["rapport", "errorMessage", 150],
    ]);
  });

  it("keeps 'log on send' in the draft's session data and the Rapport key in its custom properties", async () => {
    const session = new Map<string, string>();
    const properties = new Map<string, unknown>();
    let saved = 0;
    const compose = {
      itemType: "message",
      subject: { getAsync: (callback: Callback<string>) => callback(succeeded("Offer")) },
      sessionData: {
        getAsync: (name: string, callback: Callback<string>) => callback(succeeded(session.get(name) ?? "")),
        setAsync: (name: string, value: string, callback: Callback<void>) => {
          session.set(name, value);
          callback(succeeded(undefined));
        },
      },
      loadCustomPropertiesAsync: (callback: Callback<unknown>) =>
        callback(
          succeeded({
            set: (name: string, value: unknown) => properties.set(name, value),
            saveAsync: (done: Callback<void>) => {
              saved++;
              done(succeeded(undefined));
            },
          }),
        ),
    };
    officeWith(compose, ["1.5", "1.7", "1.11"]);
    const mailbox = createOfficeMailbox();
    expect(await mailbox.readLogOnSend()).toBe(false);
    await mailbox.setLogOnSend(true);
    expect(await mailbox.readLogOnSend()).toBe(true);
    await mailbox.setRapportKey("k-456");
    expect([properties.get(RAPPORT_KEY_PROPERTY), saved]).toEqual(["k-456", 1]);

    // An Outlook without session data (before Mailbox 1.11) has no such choice, and says so when asked to keep it.
    officeWith(compose, ["1.5", "1.7"]);
    const older = createOfficeMailbox();
    expect(await older.readLogOnSend()).toBe(false);
    await expect(older.setLogOnSend(true)).rejects.toThrow(/1\.11/);
  });
});
