import "../../../shared/zod-without-eval";
import { FluentProvider, MessageBar, MessageBarBody, webLightTheme } from "@fluentui/react-components";
import { type ReactNode, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { syncWithClassicOutlook } from "../../core/classic-sends";
import { createApiClient } from "../../../client/api-client";
import { createFileClient } from "../../../client/files";
import { App } from "../App";
import { createI18n, loadCatalogue } from "../../core/i18n";
import { createServices } from "../../core/services";
import { createAddinSignIn, meetingIdsLazily, outlookContactsLazily } from "../../auth/sign-in";
import { browserStorage, memoryStorage } from "../../core/storage";
import { outlookLoginHint } from "../../office/auth-context";
import { askInDialog } from "../../office/dialog";
import { officeHost } from "../../office/host";

/**
 * The page Outlook loads into the task pane. Office.js (from Microsoft's CDN) says when it is ready and in which
 * host; only in Outlook is there a mailbox to show. The Office.js-backed mailbox is a chunk of its own, fetched
 * only here, so the preview never carries it.
 */
async function main(root: HTMLElement): Promise<void> {
  const host = await officeHost();
  const render = (node: ReactNode) => createRoot(root).render(<StrictMode>{node}</StrictMode>);
  if (host !== "outlook") {
    const { t } = createI18n(navigator.language, await loadCatalogue(navigator.language));
    render(
      <FluentProvider theme={webLightTheme}>
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{host === "no-office" ? t("officeJsMissing") : t("openInOutlook")}</MessageBarBody>
        </MessageBar>
      </FluentProvider>,
    );
    return;
  }
  const { createOfficeMailbox } = await import(
    /* webpackChunkName: "office-mailbox" */ "../../office/office-mailbox"
  );
  const mailbox = createOfficeMailbox();
  // Fetched while the services are made; the pane paints once, in the rep's language, never English first.
  const catalogue = loadCatalogue(mailbox.displayLanguage());
  const user = mailbox.userAddress();
  const signIn = createAddinSignIn({
    userAddress: user,
    loginHint: outlookLoginHint,
    // The commands of this mailbox share it: a session the pane starts serves the ribbon command too.
    storage: user ? browserStorage() : memoryStorage(),
    openDialog: askInDialog,
    displayLanguage: mailbox.displayLanguage(),
    prefersDark: mailbox.prefersDark,
  });
  const clientOptions = { baseUrl: "", getToken: signIn.getToken, fetch: signIn.fetch };
  const api = createApiClient(clientOptions);
  const files = createFileClient(clientOptions);
  const outlookContacts = outlookContactsLazily(outlookLoginHint);
  const meetingIds = meetingIdsLazily(outlookLoginHint);
  const services = createServices({
    mailbox,
    api,
    files,
    outlookContacts,
    meetingIds,
    account: signIn.account,
  });
  void syncWithClassicOutlook(services.outbox, api).catch(() => undefined);
  render(<App services={services} catalogue={await catalogue} />);
}

const root = document.getElementById("root");
if (root) void main(root);
