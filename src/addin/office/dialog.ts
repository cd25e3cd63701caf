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

/** The preview's simulated dialog frames the page and asks for this channel instead of Office's. */
export const SIMULATED_DIALOG_PARAM = "simulatedDialog";
const SIMULATED_MESSAGE = "rapport.dialogMessage";

/** Whether this page runs in the preview's simulated dialog rather than an Office one. */
export function inSimulatedDialog(): boolean {
  return new URLSearchParams(location.search).has(SIMULATED_DIALOG_PARAM) && window.parent !== window;
}

/**
 * The twin of `tellOpener` for the preview: the message goes to the framing page only if it is of this origin
 * (postMessage's target origin), as messageParent reaches only the pane that opened the dialog.
 */
export function tellSimulatedOpener(message: string): void {
  window.parent.postMessage({ [SIMULATED_MESSAGE]: message }, location.origin);
}

/**
 * The twin of `askInDialog` for the preview and the end-to-end tests: the page in a frame over the pane, with a
 * close button as Office's dialog has; resolves with the one message it sends, rejects when it is closed.
 */
export function askInSimulatedDialog(url: string, label: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const overlay = document.createElement("div");
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", label);
    overlay.style.cssText =
      "position:fixed;inset:0;display:flex;flex-direction:column;align-items:center;justify-content:center;" +
      "background:rgba(0,0,0,0.4);z-index:1000";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    const frame = document.createElement("iframe");
    const framed = new URL(url);
    framed.searchParams.set(SIMULATED_DIALOG_PARAM, "1");
    frame.src = framed.toString();
    frame.title = label;
    // WebAuthn in a frame needs the frame to be allowed it, as Office's own dialog window is.
    frame.allow = "publickey-credentials-get";
    frame.style.cssText = "width:min(420px,90vw);height:min(560px,80vh);border:0;background:Canvas";
    overlay.append(close, frame);
    const finish = () => {
      window.removeEventListener("message", onMessage);
      document.removeEventListener("keydown", onKey);
      overlay.remove();
    };
    const onMessage = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow || event.origin !== location.origin) return;
      const data: unknown = event.data;
      if (typeof data !== "object" || data === null || !(SIMULATED_MESSAGE in data)) return;
      const message = (data as Record<string, unknown>)[SIMULATED_MESSAGE];
      if (typeof message !== "string") return;
      finish();
      resolve(message);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      finish();
      reject(new Error("the sign-in dialog was closed"));
    };
    close.addEventListener("click", () => {
      finish();
      reject(new Error("the sign-in dialog was closed"));
    });
    window.addEventListener("message", onMessage);
    document.addEventListener("keydown", onKey);
    document.body.append(overlay);
    frame.focus();
  });
}
