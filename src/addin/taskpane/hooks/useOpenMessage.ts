import { useEffect, useState } from "react";
import type { OpenAppointment, OpenMessage } from "../../office/mailbox";
import { useServices } from "../services";

export type OpenMessageState =
  | { status: "loading" }
  | { status: "ready"; message: OpenMessage | null; appointment: OpenAppointment | null }
  | { status: "error"; error: Error };

/**
 * The email (or, when no email is, the meeting) open in Outlook, kept current as the rep selects another one. Each change starts a fresh read and
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
      const item = async () => {
        const message = await mailbox.readOpenMessage();
        return { message, appointment: message ? null : await mailbox.readOpenAppointment() };
      };
      item().then(
        (open) => ticket === latest && setState({ status: "ready", ...open }),
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
