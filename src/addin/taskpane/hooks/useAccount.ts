import { useSyncExternalStore } from "react";
import type { AccountState } from "../../core/account-session";
import { useServices } from "../services";

const nobody = () => () => undefined;
const none = () => null;

/**
 * The rep's session of Rapport's own accounts as it changes (signed in here, in the ribbon command's refresh, or
 * ended by the server); null where this pane signs in another way.
 */
export function useAccountState(): AccountState | null {
  const { account } = useServices();
  return useSyncExternalStore(account?.subscribe ?? nobody, account?.state ?? none);
}
