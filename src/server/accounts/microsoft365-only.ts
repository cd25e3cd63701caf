import type { Kysely } from "kysely";
import type { DB } from "../db/tables";
import { AppError } from "../errors";

/**
 * Said only to someone who has already shown the account is theirs (the right password, a valid passkey, an
 * invitation's or reset link's token, a refresh token): an anonymous caller with a wrong password still hears
 * invalid_credentials, and a reset request gets the same answer for every address, so nothing here tells anyone
 * whether an address has an account. What it tells the holder, that the organisation signs in with Microsoft 365
 * only, is the organisation's policy, which its people's sign-in page would show them anyway.
 */
export const microsoft365Only = () =>
  new AppError(
    "microsoft365_only",
    403,
    "The organisation signs in with Microsoft 365 only: sign in with Microsoft instead.",
  );

/**
 * Whether the organisation has made Microsoft 365 its only way in. `lock` (inside the transaction that opens a
 * session) reads its row with a share lock: a switch being turned on at that moment, which ends every session,
 * waits for that transaction, or that one for the switch, so no session slips past it.
 */
export async function isMicrosoft365Only(db: Kysely<DB>, orgId: string, lock = false): Promise<boolean> {
  const query = db.selectFrom("organizations").select("microsoft365_only").where("id", "=", orgId);
  const org = await (lock ? query.forShare() : query).executeTakeFirst();
  return org?.microsoft365_only ?? false;
}
