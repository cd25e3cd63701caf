import { createApiClient } from "../../src/client/api-client";
import { logOnSend } from "../../src/addin/commands/log-on-send";
import { unfilledFieldsHold } from "../../src/addin/commands/unfilled-on-send";
import { syncWithClassicOutlook } from "../../src/addin/core/classic-sends";
import { type Outbox, createOutbox } from "../../src/addin/core/outbox";
import { memoryStorage } from "../../src/addin/core/storage";
import { registerClassicOnSend } from "../../src/addin/office/classic-on-send";
import { RAPPORT_KEY_PROPERTY, createOfficeMailbox } from "../../src/addin/office/office-mailbox";
import { onMessageSend } from "../../src/addin/office/on-send";
import { ON_SEND_QUEUE_KEY } from "../../src/addin/office/on-send-queue";
import { type TestServer, startTestServer } from "../helpers/server";

// Smart Alerts for merge fields a template left without a value: Outlook calls the handler the page associated
// with "onMessageSendHandler" and waits for event.completed, as in on-send.test.ts. The body is handed over as
// Outlook on the web hands it: the rendered `<mark data-rapport-unfilled>` comes back without its attribute in
// HTML, and as its text `[name]` when asked for text, which is what the handler reads.

const REP = "rita@contoso.example";
type Callback<T> = (result: { status: string; value: T; error?: { message: string } }) => void;
const ok = <T>(value: T) => ({ status: "succeeded", value });
interface Completed {
  allowEvent: boolean;
  errorMessage?: string;
  sendModeOverride?: string;
}

const UNFILLED_TEXT = "Hi Anna,\nThanks for your time.\nRita Rep, [rep.title]\n[contact.custom.tier]";
const FILLED_TEXT = "Hi Anna,\nThanks for your time.\nRita Rep, Account manager";

/** Outlook sending a draft to Anna: Office.js as the handler's page sees it (Mailbox 1.14 unless `older`). */
function outlookSending(options: {
  body: string;
  ticked?: boolean;
  templateId?: string;
  language?: string;
  older?: boolean;
  bodyFails?: boolean;
}) {
  const handlers = new Map<string, (event: { completed(o: Completed): void }) => void>();
  const properties = new Map<string, unknown>();
  const runtimeStorage = new Map<string, string>();
  const session = new Map<string, string>([
    ["rapport.logOnSend", options.ticked === false ? "" : "1"],
    ["rapport.templateId", options.templateId ?? ""],
  ]);
  const g = globalThis as { Office?: unknown; OfficeRuntime?: unknown };
  g.OfficeRuntime = {
    storage: {
      getItem: async (key: string) => runtimeStorage.get(key) ?? null,
      setItem: async (key: string, value: string) => void runtimeStorage.set(key, value),
      removeItem: async (key: string) => void runtimeStorage.delete(key),
    },
  };
  g.Office = {
    onReady: async () => ({ host: "Outlook", platform: "OfficeOnline" }),
    actions: {
      associate: (name: string, handler: (event: { completed(o: Completed): void }) => void) =>
        handlers.set(name, handler),
    },
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Text: "text", Html: "html" },
    MailboxEnums: {
      ItemType: { Message: "message" },
      SendModeOverride: { PromptUser: "promptUser" },
    },
    context: {
      displayLanguage: options.language ?? "en-US",
      requirements: {
        // SendModeOverride came with Mailbox 1.14.
        isSetSupported: (_set: string, version: string) =>
          ["1.5", "1.11", "1.12", ...(options.older ? [] : ["1.14"])].includes(version),
      },
      mailbox: {
        userProfile: { emailAddress: REP },
        item: {
          itemType: "message",
          conversationId: "conv-template",
          subject: { getAsync: (cb: Callback<string>) => cb(ok("About the renewal")) },
          to: {
            getAsync: (cb: Callback<unknown[]>) =>
              cb(ok([{ emailAddress: "anna@fabrikam.example", displayName: "Anna Berg" }])),
          },
          cc: { getAsync: (cb: Callback<unknown[]>) => cb(ok([])) },
          body: {
            getAsync: (type: string, cb: Callback<string>) =>
              options.bodyFails
                ? cb({ status: "failed", value: "", error: { message: "Internal error" } })
                : cb(
                    ok(
                      type === "html"
                        ? `<div><p>${options.body.replace(/\n/g, "</p><p>").replace(/\[([^\]]+)\]/g, "<mark>[$1]</mark>")}</p></div>`
                        : options.body,
                    ),
                  ),
          },
          sessionData: {
            getAsync: (name: string, cb: Callback<string>) => cb(ok(session.get(name) ?? "")),
          },
          loadCustomPropertiesAsync: (cb: Callback<unknown>) =>
            cb(
              ok({
                get: (k: string) => properties.get(k),
                set: (k: string, v: unknown) => properties.set(k, v),
                saveAsync: (done: Callback<void>) => done(ok(undefined)),
              }),
            ),
        },
      },
    },
  };
  return {
    rapportKey: () => properties.get(RAPPORT_KEY_PROPERTY) as string | undefined,
    runtimeStorage,
    /** The rep pressing Send: resolves with what the handler told Outlook. */
    send: () =>
      new Promise<Completed>((resolve) => {
        const handler = handlers.get("onMessageSendHandler");
        if (!handler) throw new Error("no on-send handler associated");
        handler({ completed: resolve });
      }),
  };
}

describe("the on-send warning about merge fields without a value (Smart Alerts)", () => {
  let server: TestServer;
  let token: string;
  let templateId: string;
  const outboxes: Outbox[] = [];

  beforeAll(async () => {
    server = await startTestServer("pglite");
    token = await server.token(REP);
    await server.request("POST", "/api/v1/contacts", {
      token,
      body: { displayName: "Anna Berg", emails: ["anna@fabrikam.example"] },
    });
    const template = await server.request<{ id: string }>("POST", "/api/v1/templates", {
      token,
      body: {
        name: "Follow-up",
        scope: "personal",
        variants: { en: { subject: "About {{deal.name}}", html: "<p>Hi {{contact.firstName}}</p>" } },
      },
    });
    expect(template.status).toBe(201);
    templateId = template.body.id;
  }, 120_000);
  afterEach(() => {
    outboxes.splice(0).forEach((o) => o.close());
    const g = globalThis as { Office?: unknown; OfficeRuntime?: unknown };
    delete g.Office;
    delete g.OfficeRuntime;
  });
  afterAll(() => server.close());

  /** commands.html's wiring (src/addin/commands/index.ts): the warning first, then the log on send. */
  function commandsPage() {
    const api = createApiClient({ baseUrl: server.baseUrl, getToken: async () => token });
    const outbox = createOutbox({ api, storage: memoryStorage(), owner: REP, retryDelaysMs: [60_000] });
    outboxes.push(outbox);
    onMessageSend(
      () => logOnSend({ mailbox: createOfficeMailbox(), outbox, api }, Number.POSITIVE_INFINITY),
      () => unfilledFieldsHold(createOfficeMailbox()),
    );
    return outbox;
  }

  const loggedUnder = (key: string | undefined) =>
    server.database.db
      .selectFrom("interactions")
      .leftJoin("template_uses", "template_uses.interaction_id", "interactions.id")
      .select(["interactions.subject", "interactions.source", "template_uses.template_id"])
      .where("interactions.rapport_key", "=", key ?? "none")
      .execute();

  it("holds a draft that still shows unfilled fields, naming them, with Outlook's Send anyway; nothing is logged", async () => {
    const outlook = outlookSending({ body: UNFILLED_TEXT, templateId: "" });
    const outbox = commandsPage();
    expect(await outlook.send()).toEqual({
      allowEvent: false,
      errorMessage:
        "This email still has merge fields without a value (2): rep.title, contact.custom.tier. " +
        "Fill them in, or send it as it is.",
      sendModeOverride: "promptUser",
    });
    // Held, it may never be sent: no key on it, nothing in the outbox.
    expect(outlook.rapportKey()).toBeUndefined();
    expect(outbox.entries()).toEqual([]);
  });

  it("lets the mail go from commands.html without waiting for the words of the ribbon's notice, which a slow server may never send", async () => {
    const outlook = outlookSending({ body: FILLED_TEXT, ticked: false, language: "sv-SE" });
    await jest.isolateModulesAsync(async () => {
      // The Swedish catalogue is a chunk from the server: here one that never arrives.
      jest.doMock("../../src/addin/core/i18n", () => ({
        ...jest.requireActual<typeof import("../../src/addin/core/i18n")>("../../src/addin/core/i18n"),
        loadCatalogue: () => new Promise(() => undefined),
      }));
      await import("../../src/addin/commands/index");
    });
    expect(await outlook.send()).toEqual({ allowEvent: true });
  }, 30_000);

  it("warns in Outlook's language", async () => {
    const outlook = outlookSending({ body: UNFILLED_TEXT, language: "sv-SE" });
    commandsPage();
    expect((await outlook.send()).errorMessage).toBe(
      "Mejlet har fortfarande kopplingsfält utan värde (2): rep.title, contact.custom.tier. " +
        "Fyll i dem eller skicka det som det är.",
    );
  });

  it("leaves the send mode to the manifest's PromptUser where Outlook has no override (before Mailbox 1.14)", async () => {
    const outlook = outlookSending({ body: UNFILLED_TEXT, older: true });
    commandsPage();
    const completed = await outlook.send();
    expect(completed.allowEvent).toBe(false);
    expect(completed).not.toHaveProperty("sendModeOverride");
  });

  it("lets the filled-in draft go and logs it with the template it was written from", async () => {
    const outlook = outlookSending({ body: FILLED_TEXT, templateId });
    const outbox = commandsPage();
    expect(await outlook.send()).toEqual({ allowEvent: true });
    const key = outlook.rapportKey();
    expect(outbox.entries()).toEqual([]);
    expect(await loggedUnder(key)).toEqual([
      { subject: "About the renewal", source: "on-send", template_id: templateId },
    ]);
  }, 60_000);

  it("lets the email go when its body cannot be read: Rapport never holds mail back for its own failure", async () => {
    const outlook = outlookSending({ body: UNFILLED_TEXT, bodyFails: true, ticked: false });
    commandsPage();
    expect(await outlook.send()).toEqual({ allowEvent: true });
  });

  it("holds the draft in classic Outlook too (launchevent.js), queueing nothing; the filled one is queued with its template", async () => {
    const held = outlookSending({ body: UNFILLED_TEXT, templateId });
    registerClassicOnSend(() => unfilledFieldsHold(createOfficeMailbox()));
    expect(await held.send()).toMatchObject({ allowEvent: false, sendModeOverride: "promptUser" });
    expect(held.runtimeStorage.get(ON_SEND_QUEUE_KEY)).toBeUndefined();

    const filled = outlookSending({ body: FILLED_TEXT, templateId });
    registerClassicOnSend(() => unfilledFieldsHold(createOfficeMailbox()));
    expect(await filled.send()).toEqual({ allowEvent: true });
    expect(JSON.parse(filled.runtimeStorage.get(ON_SEND_QUEUE_KEY) ?? "[]")).toMatchObject([
      { rapportKey: filled.rapportKey(), templateId },
    ]);
    // The next pane sends it, and the template's use is recorded on the log.
    const api = createApiClient({ baseUrl: server.baseUrl, getToken: async () => token });
    const outbox = createOutbox({ api, storage: memoryStorage(), owner: REP, retryDelaysMs: [60_000] });
    outboxes.push(outbox);
    expect(await syncWithClassicOutlook(outbox, api)).toBe(1);
    await outbox.flush();
    expect(await loggedUnder(filled.rapportKey())).toEqual([
      { subject: "About the renewal", source: "on-send", template_id: templateId },
    ]);
  }, 60_000);
});
