// The page the pane benchmark drives: the real task pane (production build) on a simulated mailbox of emails
// from distinct known contacts, so every selection is a fresh lookup over HTTP, as a new email in Outlook is.
// The rep and the senders come in the address's fragment: {"rep": "...", "people": [{"name", "email"}]}.
import { createRoot } from "react-dom/client";
import { createApiClient } from "../../src/client/api-client";
import { localIssuerToken } from "../../src/client/local-sign-in";
import { memoryStorage } from "../../src/addin/core/storage";
import { type SimulatedMessage, createSimulatedMailbox } from "../../src/addin/office/simulated-mailbox";
import { App } from "../../src/addin/taskpane/App";
import { createServices } from "../../src/addin/core/services";

export interface PanePageSetup {
  rep: string;
  people: { name: string; email: string }[];
}

declare global {
  interface Window {
    /** Selects an email and resolves with the milliseconds until the frame that shows its sender's name. */
    timeSelection(id: string, name: string): Promise<number>;
  }
}

const setup = JSON.parse(decodeURIComponent(location.hash.slice(1))) as PanePageSetup;
const messages: SimulatedMessage[] = setup.people.map((person, i) => {
  return {
    id: `m${i}`,
    internetMessageId: `<bench-pane-${i}@bench.example>`,
    conversationId: null,
    subject: `Question ${i}`,
    from: { address: person.email, name: person.name },
    to: [{ address: setup.rep, name: "Rep" }],
    cc: [],
    sentAt: new Date().toISOString(),
    mode: "read",
    bodyText: `Hello Rita,\n\na question about the offer.\n\n${person.name}`,
  };
});
const mailbox = createSimulatedMailbox({ messages, userAddress: setup.rep });
const api = createApiClient({ baseUrl: "", getToken: localIssuerToken(setup.rep) });
const root = document.getElementById("root");
if (root)
  createRoot(root).render(<App services={createServices({ mailbox, api, storage: memoryStorage() })} />);

/** A profile that never paints is a failed run, not a hung one. */
const PAINT_TIMEOUT_MS = 30_000;

window.timeSelection = (id, name) =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    mailbox.select(id);
    const painted = () =>
      [...document.querySelectorAll(".fui-Persona__primaryText")].some((e) => e.textContent === name);
    // Checked once per frame; the frame after the name is in the DOM is the one that shows it.
    const check = () => {
      if (painted()) requestAnimationFrame(() => resolve(performance.now() - started));
      else if (performance.now() - started > PAINT_TIMEOUT_MS)
        reject(new Error(`${name}'s profile was not painted within ${PAINT_TIMEOUT_MS} ms`));
      else requestAnimationFrame(check);
    };
    check();
  });
