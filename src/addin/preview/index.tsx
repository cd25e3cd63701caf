import "../../shared/zod-without-eval";
import {
  Button,
  Field,
  FluentProvider,
  Input,
  Switch,
  Text,
  Textarea,
  ToggleButton,
  makeStyles,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import { type FormEvent, StrictMode, useReducer, useState, useSyncExternalStore } from "react";
import { parseMailbox } from "../../shared/email-address";
import { createRoot } from "react-dom/client";
import { createApiClient } from "../../client/api-client";
import { createFileClient } from "../../client/files";
import { localIssuerToken } from "../../client/local-sign-in";
import { createSimulatedMailbox } from "../office/simulated-mailbox";
import { App } from "../taskpane/App";
import { createServices } from "../core/services";
import { browserStorage } from "../core/storage";
import { createAddinSignIn } from "../auth/sign-in";
import { askInSimulatedDialog } from "../office/dialog";
import { PREVIEW_USER, sampleAppointments, sampleMail } from "./sample-mail";

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
  recipient: { display: "flex", alignItems: "flex-end", gap: tokens.spacingHorizontalS },
  pane: { borderLeft: `1px solid ${tokens.colorNeutralStroke2}`, overflowY: "auto" },
  draft: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  draftBody: {
    width: "100%",
    minHeight: "10rem",
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

const mailbox = createSimulatedMailbox({
  messages: sampleMail,
  appointments: sampleAppointments,
  userAddress: PREVIEW_USER,
});
/**
 * The preview signs in through the dev server's local issuer; `preview.html?signIn=accounts` signs in as Outlook
 * does with Rapport's own accounts instead: the sign-in page in a simulated dialog, the session kept per mailbox.
 */
const signIn =
  new URLSearchParams(location.search).get("signIn") === "accounts"
    ? createAddinSignIn({
        userAddress: mailbox.userAddress(),
        loginHint: async () => mailbox.userAddress(),
        storage: browserStorage(),
        openDialog: (url) => askInSimulatedDialog(url, "Sign in to Rapport"),
        displayLanguage: mailbox.displayLanguage(),
        prefersDark: mailbox.prefersDark,
        devTokens: false,
      })
    : null;
const clientOptions = {
  baseUrl: "",
  getToken: signIn?.getToken ?? localIssuerToken(PREVIEW_USER, "Rita Rep"),
  fetch: signIn?.fetch,
};
const services = createServices({
  mailbox,
  api: createApiClient(clientOptions),
  files: createFileClient(clientOptions),
  account: signIn?.account,
});

/** A reading pane look-alike: sample emails on the left, the real task pane on the right. */
function Preview() {
  const styles = useStyles();
  const [selected, setSelected] = useState<string | null>(null);
  const [dark, setDark] = useState(false);
  // The draft's recipients live in the simulated mailbox; the list's label is redrawn when they change.
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const select = (id: string) => {
    setSelected(id);
    mailbox.select(id);
  };
  const draft = mailbox.messages().find((m) => m.id === selected && m.mode === "compose");
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <div className={styles.layout}>
        <nav className={styles.inbox} aria-label="Sample emails">
          <Switch
            label="Dark theme (as Outlook's theme setting)"
            checked={dark}
            onChange={(_, data) => {
              setDark(data.checked);
              mailbox.setDark(data.checked);
            }}
          />
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
                    ? `Draft to ${m.to.map((a) => a.name ?? a.address).join(", ") || "…"}`
                    : (m.from?.name ?? m.from?.address)}
                </Text>
                <Text block>{m.subject}</Text>
              </span>
            </ToggleButton>
          ))}
          {mailbox.appointments().map((a) => (
            <ToggleButton
              key={a.id}
              className={styles.item}
              checked={selected === a.id}
              appearance="subtle"
              onClick={() => select(a.id)}
              data-appointment={a.id}
            >
              <span>
                <Text weight="semibold" block>
                  {a.mode === "organizer"
                    ? "Meeting you organise"
                    : `Meeting from ${a.organizer?.name ?? "…"}`}
                </Text>
                <Text block>{a.subject}</Text>
              </span>
            </ToggleButton>
          ))}
          {draft && <AddRecipient key={draft.id} draftId={draft.id} onAdded={redraw} />}
          {draft && <DraftContent key={`content-${draft.id}`} draftId={draft.id} />}
        </nav>
        <aside className={styles.pane} aria-label="Rapport">
          <App services={services} />
        </aside>
      </div>
    </FluentProvider>
  );
}

/** Typing a recipient into the draft, as in Outlook's To line: the pane hears RecipientsChanged. */
function AddRecipient({ draftId, onAdded }: { draftId: string; onAdded(): void }) {
  const styles = useStyles();
  const [text, setText] = useState("");
  const [invalid, setInvalid] = useState(false);
  const add = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseMailbox(text);
    setInvalid(parsed === null);
    const draft = mailbox.messages().find((m) => m.id === draftId);
    if (!parsed || !draft) return;
    // As Outlook hands a recipient: the address as it was typed.
    const recipient = { address: parsed.written, name: parsed.name };
    mailbox.updateDraft(draftId, { to: [...draft.to, recipient], cc: draft.cc });
    setText("");
    onAdded();
  };
  return (
    <form className={styles.recipient} onSubmit={add} aria-label="Draft recipients">
      <Field
        label="Add a recipient to the draft"
        validationMessage={invalid ? "Not an email address" : undefined}
      >
        <Input
          value={text}
          onChange={(_, data) => setText(data.value)}
          placeholder="bo.ek@fabrikam.example"
        />
      </Field>
      <Button type="submit">Add</Button>
    </form>
  );
}

let contentVersion = 0;
mailbox.onDraftContentChanged(() => void contentVersion++);

/**
 * The draft as Outlook's compose window would show it: its subject and body, which a template from the pane
 * fills. The body is HTML, so it is shown in a frame that runs nothing and reaches nothing of this page (as the
 * pane's preview does), beside its source as text.
 */
function DraftContent({ draftId }: { draftId: string }) {
  const styles = useStyles();
  useSyncExternalStore(mailbox.onDraftContentChanged, () => contentVersion);
  const draft = mailbox.messages().find((m) => m.id === draftId);
  if (!draft) return null;
  return (
    <section className={styles.draft} aria-label="Draft">
      <Field label="Draft subject">
        <Input readOnly value={draft.subject} />
      </Field>
      <Field label="Draft body (HTML)">
        <Textarea readOnly resize="vertical" value={draft.bodyHtml ?? ""} />
      </Field>
      <iframe className={styles.draftBody} sandbox="" srcDoc={draft.bodyHtml ?? ""} title="Draft as sent" />
    </section>
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
