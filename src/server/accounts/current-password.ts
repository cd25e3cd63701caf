import type { Scope } from "../scope";
import { AppError } from "../errors";
import { recordAccountEvent } from "./events";
import { decoyHash, verifyPassword } from "./passwords";
import type { AccountsContext, Client } from "./service";

/** The signed-in user's Rapport account, or undefined for a user who signs in with Microsoft 365 only. */
export async function ownAccount(
  scope: Scope,
): Promise<{ email: string; password_hash: string | null } | undefined> {
  return scope.db
    .selectFrom("accounts")
    .select(["email", "password_hash"])
    .where("org_id", "=", scope.caller.orgId)
    .where("user_id", "=", scope.caller.userId)
    .executeTakeFirst();
}

/**
 * A signed-in user proves their current password again before a change a stolen session must not make (a new
 * password, a new passkey). A wrong one counts as a failed sign-in for the throttle and is audited as `failedEvent`;
 * an account without a password is checked against the decoy hash, so the answer takes as long and says the same.
 */
export async function checkCurrentPassword(
  context: AccountsContext,
  scope: Scope,
  account: { email: string; password_hash: string | null },
  password: string,
  client: Client,
  refusal: { failedEvent: string; detail: string },
): Promise<void> {
  const { orgId, userId } = scope.caller;
  const { signIn: throttle } = context.throttles;
  throttle.charge(client.address, account.email);
  if (!(await verifyPassword(password, account.password_hash ?? (await decoyHash())))) {
    await recordAccountEvent(
      scope.db,
      orgId,
      userId,
      refusal.failedEvent,
      { type: "user", id: userId },
      { address: client.address },
    );
    throw new AppError("invalid_credentials", 401, refusal.detail);
  }
  throttle.succeeded(client.address, account.email);
}
