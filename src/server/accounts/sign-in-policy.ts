import type { Kysely } from "kysely";
import type { SignInPolicy } from "../../shared/accounts";
import type { DB } from "../db/tables";
import { AppError } from "../errors";
import type { Scope } from "../scope";
import { requireAdmin } from "../users/service";
import { recordAccountEvent } from "./events";
import { endSessions } from "./sessions";

export async function signInPolicyOf(db: Kysely<DB>, orgId: string): Promise<SignInPolicy> {
  const org = await db
    .selectFrom("organizations")
    .select("microsoft365_only")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  return { microsoft365Only: org.microsoft365_only };
}

/**
 * Makes Microsoft 365 the organisation's only way in, or gives Rapport's own accounts their way back. Turning it
 * on ends every own-account session of the organisation at once and withdraws unused reset links. Only an admin
 * signed in with Microsoft 365 turns it on: they have just shown the way in that remains works, so nobody locks
 * the organisation out by it. Turning it off takes any admin (and only a Microsoft 365 one can be signed in then).
 */
export async function setSignInPolicy(
  scope: Scope,
  input: SignInPolicy,
): Promise<SignInPolicy & { sessionsEnded: number }> {
  const { orgId, userId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, "chooses how its people sign in");
    if (input.microsoft365Only && scope.caller.signedInWith !== "entra")
      throw new AppError(
        "forbidden",
        403,
        "Only an admin signed in with Microsoft 365 can make it the only way in: sign in with Microsoft first, so that the organisation keeps a way in.",
      );
    const before = await tx
      .selectFrom("organizations")
      .select("microsoft365_only")
      .where("id", "=", orgId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.microsoft365_only === input.microsoft365Only)
      return { microsoft365Only: input.microsoft365Only, sessionsEnded: 0 };
    await tx
      .updateTable("organizations")
      .set({ microsoft365_only: input.microsoft365Only })
      .where("id", "=", orgId)
      .execute();
    let sessionsEnded = 0;
    if (input.microsoft365Only) {
      sessionsEnded = await endSessions(tx, { orgId }, "microsoft365_only");
      await tx
        .deleteFrom("password_resets")
        .where("org_id", "=", orgId)
        .where("used_at", "is", null)
        .execute();
    }
    await recordAccountEvent(
      tx,
      orgId,
      userId,
      "organization.sign_in_policy",
      { type: "organization", id: orgId },
      { microsoft365Only: input.microsoft365Only, sessionsEnded },
    );
    return { microsoft365Only: input.microsoft365Only, sessionsEnded };
  });
}
