import { FluentProvider, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { ApiError } from "../client/problems";
import { createApiClient } from "../client/api-client";
import { createFileClient } from "../client/files";
import { createProgressClient } from "../client/progress";
import type { Session } from "./auth/session";
import { Shell } from "./components/Shell";
import { type WebAppServices, WebAppServicesProvider, useWebApp } from "./services";
import { useDarkTheme } from "./theme";
import { useMe } from "./hooks";
import { LanguageProvider, choiceUnsaved, saveLanguage, useLanguage } from "./i18n/language";
import type { Language } from "../shared/languages";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Retry what may pass (offline, 5xx); a 4xx will answer the same way every time.
        retry: (failures, error) => failures < 3 && (!(error instanceof ApiError) || error.retryable),
        staleTime: 30_000,
      },
    },
  });
}

/** The theme (the system's, or the user's choice) and the data layer, around everything the web app shows. */
export function WebAppProviders({
  children,
  queryClient,
  language,
}: {
  children: ReactNode;
  queryClient?: QueryClient;
  /** Tests fix the language; a page follows the one chosen on this browser, else the browser's. */
  language?: Language;
}) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  const [dark] = useDarkTheme();
  return (
    <FluentProvider
      theme={dark ? webDarkTheme : webLightTheme}
      // Native controls (the date pickers, scroll bars) follow the theme too.
      style={{ minHeight: "100vh", colorScheme: dark ? "dark" : "light" }}
    >
      <LanguageProvider language={language}>
        <QueryClientProvider client={client}>{children}</QueryClientProvider>
      </LanguageProvider>
    </FluentProvider>
  );
}

/**
 * The pages for one signed-in session; signing out forgets everything read for it. The clients are the API's
 * on this origin with the session's token (tests give their own).
 */
export function SignedInApp({
  session,
  clients,
}: {
  session: Session;
  /** What tests put in place of the real clients, and of the browser's time zone. */
  clients?: Partial<Pick<WebAppServices, "api" | "files" | "progress" | "timeZone">>;
}) {
  const queryClient = useQueryClient();
  const { endAccount } = useLanguage();
  const services = useMemo((): WebAppServices => {
    const options = {
      baseUrl: "",
      getToken: session.getToken,
      ...(session.fetch ? { fetch: session.fetch } : {}),
    };
    return {
      api: clients?.api ?? createApiClient(options),
      files: clients?.files ?? createFileClient(options),
      progress: clients?.progress ?? createProgressClient(options),
      signOut() {
        queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== "sign-in" });
        endAccount();
        session.signOut();
      },
      timeZone: clients?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
  }, [session, clients, queryClient, endAccount]);
  return (
    <WebAppServicesProvider services={services}>
      <LanguageFromAccount />
      <Shell />
    </WebAppServicesProvider>
  );
}

/**
 * The language saved on the account wins over the browser's once it is read, so a user's every device opens in
 * the language they chose; but not over a choice made on this page, nor over one this browser holds that never
 * reached the account (a save that failed): that one is saved now instead.
 */
function LanguageFromAccount() {
  const me = useMe();
  const { api } = useWebApp();
  const { language, chosenHere, applyAccount } = useLanguage();
  const saved = me.data?.settings.language ?? null;
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    if (settled || !me.data) return;
    setSettled(true);
    if (chosenHere) return;
    if (choiceUnsaved()) {
      saveLanguage(api, language).catch(() => undefined); // still unsaved: the next visit tries again
      return;
    }
    if (saved && saved !== language) applyAccount(saved);
  }, [settled, me.data, saved, language, chosenHere, applyAccount, api]);
  return null;
}
