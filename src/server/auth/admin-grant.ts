import { normalizeEmailAddress } from "../../shared/email-address";
import type { AdminGrant } from "../../shared/users";
import type { AdminConfig } from "../config";
import type { Identity } from "./verify";

/**
 * Whether this sign-in makes its user an admin, and by what: the app role the tenant assigned them, or the
 * server's list. Being first in an organisation is not a reason (under `RAPPORT_ENTRA_TENANTS=*` that could be
 * any employee or guest); the local issuer's first user is made admin elsewhere, as its documented dev flow.
 *
 * An object id is the user's immutable id in their tenant. An address is mutable and, for a guest, comes from
 * outside the tenant, so the list matches a guest by object id only.
 */
export function adminGrantOf(identity: Identity, admins: AdminConfig): AdminGrant | null {
  if (identity.roles.includes(admins.appRole)) return "app_role";
  if (admins.listed.includes(identity.objectId.toLowerCase())) return "server_list";
  // The list is canonical (config.ts), so the token's address is compared in its canonical form.
  const address = identity.email === null ? null : normalizeEmailAddress(identity.email);
  if (!identity.guest && address !== null && admins.listed.includes(address)) return "server_list";
  return null;
}
