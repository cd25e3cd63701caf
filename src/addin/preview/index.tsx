import {
  FluentProvider,
  Text,
  ToggleButton,
  makeStyles,
  tokens,
  webLightTheme,
} from "@fluentui/react-components";
import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { createApiClient } from "../api/client";
import { createSimulatedMailbox } from "../office/simulated-mailbox";
import { App } from "../taskpane/App";
import { PREVIEW_USER, sampleMail } from "./sample-mail";

const TOKEN_LIFETIME_MS = 50 * 60 * 1000; // local tokens live an hour; fetch a new one well before

/** Signs in through the dev server's local-issuer route, as `npm run token` does. */
function previewToken(): () => Promise<string> {
  let cached: { token: string; at: number } | null = null;
  return async () => {
    if (cached && Date.now() - cached.at < TOKEN_LIFETIME_MS) return cached.token;
    const response = await fetch(`/preview/token?email=${encodeURIComponent(PREVIEW_USER)}&name=Rita%20Rep`);
    if (!response.ok) throw new Error(`the preview could not sign in (${response.status})`);
    const { token } = (await response.json()) as { token: string };
    cached = { token, at: Date.now() };
    return token;
  };
}

const useStyles = makeStyles({
  layout: { display: "grid", gridTemplateColumns: "minmax(220px, 1fr) 360px", height: "100vh" },
  inbox: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    overflowY: "auto",
  },
  item: {
    justifyContent: "flex-start",
    textAlign: "start",
    height: "auto",
    padding: tokens.spacingVerticalS,
  },
  pane: { borderLeft: `1px solid ${tokens.colorNeutralStroke2}`, overflowY: "auto" },
});

const mailbox = createSimulatedMailbox({ messages: sampleMail, userAddress: PREVIEW_USER });
const services = { mailbox, api: createApiClient({ baseUrl: "", getToken: previewToken() }) };

/** A reading pane look-alike: sample emails on the left, the real task pane on the right. */
function Preview() {
  const styles = useStyles();
  const [selected, setSelected] = useState<string | null>(null);
  const select = (id: string) => {
    setSelected(id);
    mailbox.select(id);
  };
  return (
    <FluentProvider theme={webLightTheme}>
      <div className={styles.layout}>
        <nav className={styles.inbox} aria-label="Sample emails">
          {mailbox.messages().map((m) => (
            <ToggleButton
              key={m.id}
              className={styles.item}
              checked={selected === m.id}
              appearance="subtle"
              onClick={() => select(m.id)}
              data-message={m.id}
            >
              <span>
                <Text weight="semibold" block>
                  {m.mode === "compose"
                    ? `Draft to ${m.to.map((a) => a.name ?? a.address).join(", ")}`
                    : (m.from?.name ?? m.from?.address)}
                </Text>
                <Text block>{m.subject}</Text>
              </span>
            </ToggleButton>
          ))}
        </nav>
        <aside className={styles.pane} aria-label="Rapport">
          <App services={services} />
        </aside>
      </div>
    </FluentProvider>
  );
}

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Preview />
    </StrictMode>,
  );
}
