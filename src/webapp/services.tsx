import { type ReactNode, createContext, useContext } from "react";
import type { ApiClient } from "../client/api-client";
import type { FileClient } from "../client/files";
import type { ProgressClient } from "../client/progress";

/** What the web app runs on: the API client, its file downloads and its calls with progress, both signed in, and how to sign out. */
export interface WebAppServices {
  api: ApiClient;
  files: FileClient;
  /** Long-running calls that report their progress (an import). */
  progress: ProgressClient;
  signOut(): void;
  /** Where "today" is for the dashboard: the browser's own time zone. */
  timeZone: string;
}

const ServicesContext = createContext<WebAppServices | null>(null);

export function WebAppServicesProvider({
  services,
  children,
}: {
  services: WebAppServices;
  children: ReactNode;
}) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useWebApp(): WebAppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useWebApp outside WebAppServicesProvider");
  return services;
}
