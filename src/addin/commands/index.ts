import "../../shared/zod-without-eval";
import { syncWithClassicOutlook } from "../core/classic-sends";
import { createApiClient } from "../../client/api-client";
import { createAddinSignIn } from "../auth/sign-in";
import { browserStorage, memoryStorage } from "../core/storage";
import { outlookLoginHint } from "../office/auth-context";
import { officeReady, onLogToRapport } from "../office/host";
import { createOfficeMailbox } from "../office/office-mailbox";
import { onMessageSend } from "../office/on-send";
import { createI18n, loadCatalogue } from "../core/i18n";
import { createServices } from "../core/services";
import { logOnSend } from "./log-on-send";
import { unfilledFieldsHold } from "./unfilled-on-send";
import { type CommandServices, logToRapport } from "./log-to-rapport";

// commands.html: the ribbon's "Log to Rapport" and the on-send handler, in the browser runtime of Outlook on the
// web, the new Outlook and Outlook on Mac. Both are registered as the page loads, before Outlook calls them.

type SendServices = Omit<CommandServices, "t">;

let sendServices: Promise<SendServices> | null = null;
/** What logging needs, without any download: on send, Outlook waits for it. */
function ready(): Promise<SendServices> {
  sendServices ??= officeReady().then(() => {
    const mailbox = createOfficeMailbox();
    const user = mailbox.userAddress();
    // The pane's session of this mailbox, from the same storage; no dialog here (no UI): the pane signs in.
    const signIn = createAddinSignIn({
      userAddress: user,
      loginHint: outlookLoginHint,
      storage: user ? browserStorage() : memoryStorage(),
    });
    const api = createApiClient({ baseUrl: "", getToken: signIn.getToken, fetch: signIn.fetch });
    const { outbox } = createServices({ mailbox, api });
    void syncWithClassicOutlook(outbox, api).catch(() => undefined);
    return {
      mailbox,
      api,
      outbox,
      signInNeeded: () => signIn.account.state()?.kind === "signedOut",
    };
  });
  return sendServices;
}

/**
 * With the words of Outlook's language for the ribbon command's notice. Their catalogue is a chunk from the
 * server, which on send would hold the mail for as long as a slow server takes to answer (or not): only here.
 */
async function readyToSay(): Promise<CommandServices> {
  const services = await ready();
  const language = services.mailbox.displayLanguage();
  return { ...services, t: createI18n(language, await loadCatalogue(language)).t };
}

onLogToRapport(async () => {
  const s = await readyToSay();
  const notice = await logToRapport(s);
  await s.mailbox.notify(notice.text, notice.kind);
});

onMessageSend(
  async () => logOnSend(await ready()),
  // Read from Office.js directly, not after ready(): the warning needs no sign-in and no catalogue.
  () => officeReady().then(() => unfilledFieldsHold(createOfficeMailbox())),
);
