import { MAX_LOOKUP_ADDRESSES } from "../../shared/people";
import type { ApiClient } from "../../client/api-client";

/** Whether any of these addresses is a contact of the organisation (the on-send policy's test). */
export async function anyKnown(api: ApiClient, addresses: readonly string[]): Promise<boolean> {
  for (let i = 0; i < addresses.length; i += MAX_LOOKUP_ADDRESSES) {
    const email = addresses.slice(i, i + MAX_LOOKUP_ADDRESSES);
    const { results } = await api("lookupPeople", { query: { email } });
    if (results.some((r) => r.contact !== null)) return true;
  }
  return false;
}
