import { type ReactNode, createContext, useContext } from "react";
import type { ApiClient } from "../api/client";
import type { Mailbox } from "../office/mailbox";

/** What the pane runs on: Outlook or the simulated mailbox, and the API client. Components reach them by hooks. */
export interface Services {
  mailbox: Mailbox;
  api: ApiClient;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices outside ServicesProvider");
  return services;
}
