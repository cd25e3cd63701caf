/// <reference types="office-js" />
import { logOnSend } from "./log-on-send";
import type { CommandServices } from "./log-to-rapport";

// Only Outlooks with Mailbox 1.12 raise OnMessageSend, so nothing here runs on an older one: a module of its own,
// which the manifest test sees gated by that event.
export function associateOnSend(ready: () => Promise<CommandServices>): void {
  Office.actions.associate(
    "onMessageSendHandler",
    (event: { completed(options: { allowEvent: boolean }): void }) => {
      ready()
        .then((s) => logOnSend(s))
        .catch(() => "failed")
        // Rapport never holds mail back: slow, down or failing, the email goes.
        .finally(() => event.completed({ allowEvent: true }));
    },
  );
}
