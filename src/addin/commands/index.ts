/// <reference types="office-js" />
import { createApiClient } from "../api/client";
import { localIssuerToken } from "../api/local-sign-in";
import { createOfficeMailbox } from "../office/office-mailbox";
import { createI18n } from "../taskpane/i18n/i18n";
import { createServices } from "../taskpane/services";
import { type CommandServices, logToRapport } from "./log-to-rapport";
import { associateOnSend } from "./on-send-handler";

// commands.html: the ribbon's "Log to Rapport" and the on-send handler, in the browser runtime of Outlook on the
// web, the new Outlook and Outlook on Mac. Both must be associated as the page loads, before Outlook calls them.

let services: Promise<CommandServices> | null = null;
function ready(): Promise<CommandServices> {
  services ??= Office.onReady().then(() => {
    const mailbox = createOfficeMailbox();
    const api = createApiClient({ baseUrl: "", getToken: localIssuerToken(mailbox.userAddress()) });
    const { outbox } = createServices({ mailbox, api });
    return { mailbox, api, outbox, t: createI18n(mailbox.displayLanguage()).t };
  });
  return services;
}

Office.actions.associate("logToRapport", (event: Office.AddinCommands.Event) => {
  ready()
    .then(async (s) => {
      const notice = await logToRapport(s);
      await s.mailbox.notify(notice.text, notice.kind);
    })
    .catch(() => undefined)
    // Always: a command that never completes leaves Outlook's button spinning.
    .finally(() => event.completed());
});

associateOnSend(ready);
