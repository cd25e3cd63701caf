import { FluentProvider, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError } from "../api/client";
import { Pane } from "./components/Pane";
import { I18nProvider } from "./i18n/i18n";
import { type Services, ServicesProvider } from "./services";

/** The task pane with everything it runs on; the same component in Outlook and in the preview. */
export function App({ services }: { services: Services }) {
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
  return (
    <FluentProvider theme={services.mailbox.prefersDark() ? webDarkTheme : webLightTheme}>
      <I18nProvider displayLanguage={services.mailbox.displayLanguage()}>
        <QueryClientProvider client={queryClient}>
          <ServicesProvider services={services}>
            <Pane />
          </ServicesProvider>
        </QueryClientProvider>
      </I18nProvider>
    </FluentProvider>
  );
}
