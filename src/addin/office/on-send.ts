/// <reference types="office-js" />

// Only Outlooks with Mailbox 1.12 raise OnMessageSend, so nothing here runs on an older one: a module of its own,
// which the manifest test sees gated by that event.

interface SendEvent {
  completed(options: Office.SmartAlertsEventCompletedOptions): void;
}

/**
 * The on-send handler. Rapport never holds mail back for its own sake: slow, down or failing, the email goes.
 * The one exception is the rep's own mail asking for it: `hold` names what is wrong with the draft (a merge field
 * a template left without a value), and Outlook shows it as a Smart Alert with "Send anyway", which sends the mail
 * without asking this handler again. A held draft is not logged (`run` does not run), since it may never be sent.
 * A `hold` that fails lets the mail go.
 */
export function onMessageSend(run: () => Promise<unknown>, hold?: () => Promise<string | null>): void {
  Office.actions.associate("onMessageSendHandler", (event: SendEvent) => {
    // then after catch, not finally: classic Outlook's ES2016 runtime (launchevent.js) may lack it.
    const warning = hold ? hold().catch(() => null) : Promise.resolve(null);
    void warning.then((errorMessage) => {
      if (errorMessage !== null) {
        // The manifest's SendMode is PromptUser already; saying it again (Mailbox 1.14) keeps "Send anyway"
        // whatever the manifest may become. Older Outlooks use the manifest's mode.
        if (Office.context.requirements.isSetSupported("Mailbox", "1.14"))
          event.completed({
            allowEvent: false,
            errorMessage,
            sendModeOverride: Office.MailboxEnums.SendModeOverride.PromptUser,
          });
        else event.completed({ allowEvent: false, errorMessage });
        return;
      }
      run()
        .catch(() => undefined)
        .then(() => event.completed({ allowEvent: true }));
    });
  });
}
