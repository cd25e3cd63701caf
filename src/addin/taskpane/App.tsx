import { FluentProvider, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, useSyncExternalStore } from "react";
import { ApiError } from "../../client/problems";
import { Pane } from "./components/Pane";
import { I18nProvider } from "./i18n/i18n";
import type { Catalogue } from "../core/messages/en";
import type { Services } from "../core/services";
import { ServicesProvider } from "./services";

/**
 * The task pane with everything it runs on; the same component in Outlook and in the preview. `catalogue` is the
 * rep's language, loaded before (English without it).
 */
export function App({ services, catalogue }: { services: Services; catalogue?: Catalogue }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            // Retry what may pass (offline, 5xx); a 4xx will answer the same way every time.
            retry: (failures, error) => failures < 3 && (!(error instanceof ApiError) || error.retryable),
            staleTime: 30_000,
          },
        },
      }),
  );
  const { mailbox } = services;
  // Follows Outlook's theme as the rep switches it, not only the one the pane opened with.
  const dark = useSyncExternalStore(mailbox.onThemeChanged, mailbox.prefersDark);
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <I18nProvider displayLanguage={mailbox.displayLanguage()} catalogue={catalogue}>
        <QueryClientProvider client={queryClient}>
          <ServicesProvider services={services}>
            <RefreshWhenSent services={services} />
            <Pane />
          </ServicesProvider>
        </QueryClientProvider>
      </I18nProvider>
    </FluentProvider>
  );
}

const REFRESH_AFTER_SENT_MS = 150;

/** What the outbox sends later changes profiles and timelines: they are read again once it is through. */
function RefreshWhenSent({ services }: { services: Services }) {
  const queryClient = useQueryClient();
  useEffect(() => {
    // A queue draining sends one action after another: one refresh after the burst, not one per action.
    let pending: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = services.outbox.onSent(() => {
      if (pending) clearTimeout(pending);
      pending = setTimeout(() => {
        pending = null;
        void queryClient.invalidateQueries({ queryKey: ["lookup"] });
        void queryClient.invalidateQueries({ queryKey: ["timeline"] });
        // Today keeps showing a follow-up done from it (with its undo) until it is opened again.
        void queryClient.invalidateQueries({ queryKey: ["dashboard"], refetchType: "none" });
      }, REFRESH_AFTER_SENT_MS);
    });
    return () => {
      unsubscribe();
      if (pending) clearTimeout(pending);
    };
  }, [services, queryClient]);
  // The browser noticing the network is back is the earliest moment to try the queue again.
  useEffect(() => {
    const flush = () => void services.outbox.flush();
    globalThis.addEventListener?.("online", flush);
    return () => globalThis.removeEventListener?.("online", flush);
  }, [services]);
  return null;
}
