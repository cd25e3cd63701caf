/// <reference types="office-js" />

/**
 * Opens a page of the add-in in an Office dialog and resolves with the one message it sends back
 * (`messageParent`), or rejects when the rep closes it or Office cannot open it.
 */
export function askInDialog(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    Office.context.ui.displayDialogAsync(
      url,
      { height: 60, width: 30, promptBeforeOpen: false },
      (opened) => {
        if (opened.status !== Office.AsyncResultStatus.Succeeded) {
          reject(new Error(opened.error.message));
          return;
        }
        const dialog = opened.value;
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
          dialog.close();
          if ("message" in arg) resolve(arg.message);
          else reject(new Error(`the sign-in dialog failed (${arg.error})`));
        });
        dialog.addEventHandler(Office.EventType.DialogEventReceived, (arg) => {
          reject(
            new Error(
              "error" in arg
                ? `the sign-in dialog was closed (${arg.error})`
                : "the sign-in dialog was closed",
            ),
          );
        });
      },
    );
  });
}

/** In the dialog: hands the result to the pane that opened it. */
export function tellOpener(message: string): void {
  Office.context.ui.messageParent(message);
}
