import { useEffect, useState } from "react";
import type { OpenMessage } from "../../office/mailbox";
import { useServices } from "../services";

export type OpenMessageState =
  | { status: "loading" }
  | { status: "ready"; message: OpenMessage | null }
  | { status: "error"; error: Error };

/**
 * The email open in Outlook, kept current as the rep selects another one. Each change starts a fresh read and
 * a slower, older read can never overwrite a newer one, so the pane never shows the previous email's people.
 */
export function useOpenMessage(): OpenMessageState {
  const { mailbox } = useServices();
  const [state, setState] = useState<OpenMessageState>({ status: "loading" });

  useEffect(() => {
    let latest = 0;
    const read = () => {
      const ticket = ++latest;
      setState({ status: "loading" });
      mailbox.readOpenMessage().then(
        (message) => ticket === latest && setState({ status: "ready", message }),
        (error: unknown) =>
          ticket === latest &&
          setState({ status: "error", error: error instanceof Error ? error : new Error(String(error)) }),
      );
    };
    read();
    const unsubscribe = mailbox.onOpenMessageChanged(read);
    return () => {
      latest = -1;
      unsubscribe();
    };
  }, [mailbox]);

  return state;
}
