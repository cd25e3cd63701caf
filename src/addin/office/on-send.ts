/// <reference types="office-js" />

// Only Outlooks with Mailbox 1.12 raise OnMessageSend, so nothing here runs on an older one: a module of its own,
// which the manifest test sees gated by that event.

/** The on-send handler: Rapport never holds mail back, so slow, down or failing, the email goes. */
export function onMessageSend(run: () => Promise<unknown>): void {
  Office.actions.associate(
    "onMessageSendHandler",
    (event: { completed(options: { allowEvent: boolean }): void }) => {
      // then after catch, not finally: classic Outlook's ES2016 runtime (launchevent.js) may lack it.
      run()
        .catch(() => undefined)
        .then(() => event.completed({ allowEvent: true }));
    },
  );
}
