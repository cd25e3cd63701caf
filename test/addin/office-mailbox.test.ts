import { RAPPORT_KEY_PROPERTY, createOfficeMailbox } from "../../src/addin/office/office-mailbox";

type Callback<T> = (result: { status: string; value: T; error?: { message: string } }) => void;
const succeeded = <T>(value: T) => ({ status: "succeeded", value });

/** Office.js as Outlook gives it to the pane: only what the mailbox boundary reads, shaped as Outlook's. */
function officeWith(
  item: Record<string, unknown>,
  requirements: string[] = ["1.5", "1.7"],
  hostName = "OutlookWebApp",
) {
  const handlers: string[] = [];
  const data = {
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Text: "text", Html: "html" },
    EventType: {
      ItemChanged: "olkItemSelectedChanged",
      RecipientsChanged: "olkRecipientsChanged",
      AppointmentTimeChanged: "olkAppointmentTimeChanged",
      OfficeThemeChanged: "officeThemeChanged",
    },
    MailboxEnums: {
      ItemType: { Message: "message", Appointment: "appointment" },
      RestVersion: { v2_0: "v2.0" },
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
        diagnostics: { hostName },
        // Outlook's conversion of an EWS id to a REST one, recognisably.
        convertToRestId: (id: string, version: string) => `rest(${version}):${id}`,
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

  it("reads a meeting an attendee opens from its properties, and marks it logged for Outlook mobile", async () => {
    const saved: Record<string, unknown>[] = [];
    const properties: Record<string, unknown> = {};
    officeWith({
      itemType: "appointment",
      itemId: "AAMkAttendeeItem=",
      subject: "Quarterly review",
      start: new Date("2026-11-24T09:00:00Z"),
      end: new Date("2026-11-24T10:00:00Z"),
      location: "  ",
      organizer: address("anna@fabrikam.example", "Anna Berg"),
      requiredAttendees: [address("rita@contoso.example", "Rita Rep")],
      optionalAttendees: [address("erik@fabrikam.example", "erik@fabrikam.example")],
      loadCustomPropertiesAsync: (callback: Callback<unknown>) =>
        callback(
          succeeded({
            set: (name: string, value: unknown) => void (properties[name] = value),
            saveAsync: (done: Callback<void>) => {
              saved.push({ ...properties });
              done(succeeded(undefined));
            },
          }),
        ),
    });
    const mailbox = createOfficeMailbox();
    expect(await mailbox.readOpenMessage()).toBeNull();
    expect(await mailbox.readOpenAppointment()).toEqual({
      mode: "attendee",
      itemId: "AAMkAttendeeItem=",
      restId: "rest(v2.0):AAMkAttendeeItem=",
      iCalUId: null,
      subject: "Quarterly review",
      start: "2026-11-24T09:00:00.000Z",
      end: "2026-11-24T10:00:00.000Z",
      location: null,
      organizer: { address: "anna@fabrikam.example", name: "Anna Berg" },
      requiredAttendees: [{ address: "rita@contoso.example", name: "Rita Rep" }],
      optionalAttendees: [{ address: "erik@fabrikam.example", name: null }],
    });
    await mailbox.markAppointmentLogged();
    expect(saved).toEqual([{ EventLogged: true }]);
  });

  it("reads the organiser's meeting through its getters, and follows its attendees and time (Mailbox 1.7)", async () => {
    const getter = <T>(value: T) => ({ getAsync: (callback: Callback<T>) => callback(succeeded(value)) });
    const handlers: string[] = [];
    const organiserForm = {
      itemType: "appointment",
      subject: getter("Kick-off"),
      start: getter(new Date("2026-11-25T13:00:00Z")),
      end: getter(new Date("2026-11-25T13:30:00Z")),
      location: getter("Room 4"),
      organizer: getter(address("rita@contoso.example", "Rita Rep")),
      requiredAttendees: getter([address("anna@fabrikam.example", "Anna Berg")]),
      optionalAttendees: getter([]),
      addHandlerAsync: (event: string) => void handlers.push(event),
      removeHandlerAsync: () => undefined,
    };
    const office = officeWith(organiserForm);
    const mailbox = createOfficeMailbox();
    expect(await mailbox.readOpenAppointment()).toEqual({
      mode: "organizer",
      // Mailbox 1.7 has no getItemIdAsync: the pane keys the form by what it has.
      itemId: null,
      restId: null,
      iCalUId: null,
      subject: "Kick-off",
      start: "2026-11-25T13:00:00.000Z",
      end: "2026-11-25T13:30:00.000Z",
      location: "Room 4",
      organizer: { address: "rita@contoso.example", name: "Rita Rep" },
      requiredAttendees: [{ address: "anna@fabrikam.example", name: "Anna Berg" }],
      optionalAttendees: [],
    });
    mailbox.onOpenMessageChanged(() => undefined)();
    expect([...office.handlers, ...handlers].sort()).toEqual([
      "olkAppointmentTimeChanged",
      "olkItemSelectedChanged",
      "olkRecipientsChanged",
    ]);

    // From Mailbox 1.8 a saved meeting's id is asked for; a meeting never saved has none, and its getter fails.
    const withId = (id: string | null) => ({
      ...organiserForm,
      getItemIdAsync: (callback: Callback<string>) =>
        callback(id ? succeeded(id) : { status: "failed", value: "", error: { message: "not saved" } }),
    });
    officeWith(withId("AAMkOrganiserItem="), ["1.5", "1.7", "1.8"]);
    expect(await createOfficeMailbox().readOpenAppointment()).toMatchObject({
      itemId: "AAMkOrganiserItem=",
      restId: "rest(v2.0):AAMkOrganiserItem=",
    });
    // Outlook on a phone hands out REST ids already, and converts none.
    officeWith(withId("AAMkMobileRest"), ["1.5", "1.7", "1.8"], "OutlookAndroid");
    expect((await createOfficeMailbox().readOpenAppointment())?.restId).toBe("AAMkMobileRest");
    officeWith(withId(null), ["1.5", "1.7", "1.8"]);
    expect((await createOfficeMailbox().readOpenAppointment())?.itemId).toBeNull();

    // Before Mailbox 1.7 the organiser's form does not name its organiser: it is the rep.
    officeWith({ ...organiserForm, organizer: undefined }, ["1.5"]);
    expect((await createOfficeMailbox().readOpenAppointment())?.organizer).toEqual({
      address: "Rita@Contoso.example",
      name: null,
    });
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

  describe("putting a template into a draft", () => {
    /** A draft in Outlook: its body of the given type, the rep's cursor after `before`, with what Office.js does. */
    function draftIn(type: "html" | "text", subject: string, requirements = ["1.5", "1.7", "1.11"]) {
      const state = { subject, body: "", inserted: [] as { data: string; coercionType: string }[] };
      const session = new Map<string, string>();
      officeWith(
        {
          itemType: "message",
          subject: {
            getAsync: (callback: Callback<string>) => callback(succeeded(state.subject)),
            setAsync: (value: string, callback: Callback<void>) => {
              state.subject = value;
              callback(succeeded(undefined));
            },
          },
          body: {
            getTypeAsync: (callback: Callback<string>) => callback(succeeded(type)),
            setSelectedDataAsync: (
              data: string,
              options: { coercionType: string },
              callback: Callback<void>,
            ) => {
              // Outlook refuses HTML into a plain-text body (error 2006 on Windows).
              if (options.coercionType === "html" && type === "text")
                return callback({
                  status: "failed",
                  value: undefined,
                  error: { message: "The format of the specified data object is invalid." },
                });
              state.inserted.push({ data, coercionType: options.coercionType });
              callback(succeeded(undefined));
            },
          },
          sessionData: {
            getAsync: (name: string, callback: Callback<string>) =>
              callback(succeeded(session.get(name) ?? "")),
            setAsync: (name: string, value: string, callback: Callback<void>) => {
              session.set(name, value);
              callback(succeeded(undefined));
            },
          },
        },
        requirements,
      );
      return state;
    }
    const filled = { html: "<p>Hi <b>Anna</b></p>", text: "Hi Anna" };

    it("puts the HTML at the cursor of an HTML draft, and the subject into a draft without one", async () => {
      const draft = draftIn("html", " ");
      const mailbox = createOfficeMailbox();
      await mailbox.insertIntoDraft(filled);
      expect(draft.inserted).toEqual([{ data: "<p>Hi <b>Anna</b></p>", coercionType: "html" }]);
      expect(await mailbox.setSubjectIfEmpty("About the renewal")).toBe(true);
      expect(draft.subject).toBe("About the renewal");
    });

    it("puts the text into a plain-text draft, and keeps the subject the rep wrote", async () => {
      const draft = draftIn("text", "My words");
      const mailbox = createOfficeMailbox();
      await mailbox.insertIntoDraft(filled);
      expect(draft.inserted).toEqual([{ data: "Hi Anna", coercionType: "text" }]);
      expect(await mailbox.setSubjectIfEmpty("About the renewal")).toBe(false);
      expect(draft.subject).toBe("My words");
    });

    it("keeps the inserted template with the draft for its log on send (Mailbox 1.11), without failing before it", async () => {
      draftIn("html", "");
      const mailbox = createOfficeMailbox();
      expect(await mailbox.readInsertedTemplate()).toBeNull();
      await mailbox.setInsertedTemplate("7b000000-0000-4000-8000-000000000001");
      expect(await mailbox.readInsertedTemplate()).toBe("7b000000-0000-4000-8000-000000000001");
      // Anything but an id is no template: the server would refuse the whole log for it.
      await mailbox.setInsertedTemplate("not an id");
      expect(await mailbox.readInsertedTemplate()).toBeNull();

      draftIn("html", "", ["1.5", "1.7"]);
      const older = createOfficeMailbox();
      await older.setInsertedTemplate("7b000000-0000-4000-8000-000000000001");
      expect(await older.readInsertedTemplate()).toBeNull();
    });

    it("refuses to put a template into an email being read", async () => {
      officeWith({ itemType: "message", subject: "Received", body: {} });
      await expect(createOfficeMailbox().insertIntoDraft(filled)).rejects.toThrow(/draft/);
    });
  });
  describe("attaching a quote to a draft", () => {
    function draftTaking(requirements: string[]) {
      const attached: { base64: string; name: string; options: unknown }[] = [];
      officeWith(
        {
          itemType: "message",
          subject: { getAsync: (callback: Callback<string>) => callback(succeeded("Our offer")) },
          addFileAttachmentFromBase64Async: (
            base64: string,
            name: string,
            options: unknown,
            callback: Callback<string>,
          ) => {
            attached.push({ base64, name, options });
            callback(succeeded("attachment-1"));
          },
        },
        requirements,
      );
      return attached;
    }

    it("attaches the file from base64 as an attachment, not inline (Mailbox 1.8)", async () => {
      const attached = draftTaking(["1.5", "1.7", "1.8"]);
      await createOfficeMailbox().attachToDraft({ name: "quote-7.pdf", base64: "JVBERi0xLjc=" });
      expect(attached).toEqual([
        { base64: "JVBERi0xLjc=", name: "quote-7.pdf", options: { isInline: false } },
      ]);
    });

    it("says so in an Outlook without Mailbox 1.8, and in an email being read", async () => {
      const attached = draftTaking(["1.5", "1.7"]);
      await expect(
        createOfficeMailbox().attachToDraft({ name: "quote-7.pdf", base64: "JVBERi0xLjc=" }),
      ).rejects.toThrow(/1\.8/);
      expect(attached).toEqual([]);
      officeWith({ itemType: "message", subject: "Received", body: {} }, ["1.8"]);
      await expect(
        createOfficeMailbox().attachToDraft({ name: "quote-7.pdf", base64: "JVBERi0xLjc=" }),
      ).rejects.toThrow(/draft/);
    });
  });
});
