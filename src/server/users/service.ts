import { type Kysely, sql } from "kysely";
import type { AdminGrant, Role, User, UserUpdate } from "../../shared/users";
import { recordAudit } from "../audit";
import type { DB } from "../db/tables";
import { AppError, notFound } from "../errors";
import { type Scope, iso, isoOrNull } from "../scope";

/**
 * The caller's role as the store has it now. The caller resolver remembers who a caller is, never their role:
 * another admin, another server or the tenant may have changed it since, and a demoted admin must lose their
 * rights at once, so every authorisation decision reads the role here.
 */
export async function currentRole(db: Kysely<DB>, caller: Scope["caller"]): Promise<Role> {
  const row = await db
    .selectFrom("users")
    .select("role")
    .where("org_id", "=", caller.orgId)
    .where("id", "=", caller.userId)
    .executeTakeFirst();
  return row?.role ?? "member";
}

/** Refuses a change from anyone but a current admin of the organisation (403 forbidden). */
export async function requireAdmin(db: Kysely<DB>, caller: Scope["caller"], what: string): Promise<void> {
  if ((await currentRole(db, caller)) !== "admin")
    throw new AppError("forbidden", 403, `Only an admin of the organisation ${what}.`);
}

/**
 * Locks every active admin row of the organisation and refuses a caller who is not one of them (403). Changes that
 * could leave the organisation without an active admin (a role change, a deactivation) take this first, so two
 * admins demoting or deactivating each other at once are taken one after the other: the second sees the first's
 * change (READ COMMITTED re-reads a row it waited for). A deactivated admin is no admin here: they cannot sign in,
 * so they cannot keep the organisation open.
 */
export async function lockActiveAdmins(
  tx: Kysely<DB>,
  caller: Scope["caller"],
  what: string,
): Promise<{ id: string }[]> {
  const admins = await tx
    .selectFrom("users")
    .select("id")
    .where("org_id", "=", caller.orgId)
    .where("role", "=", "admin")
    .where("deactivated_at", "is", null)
    .forUpdate()
    .execute();
  if (!admins.some((a) => a.id === caller.userId))
    throw new AppError("forbidden", 403, `Only an admin of the organisation ${what}.`);
  return admins;
}

/** Whether taking `id`'s admin rights away (a demotion, a deactivation) would leave no active admin. */
export const isLastActiveAdmin = (admins: { id: string }[], id: string) =>
  admins.length === 1 && admins[0]?.id === id;

const nameOf = (user: { display_name: string | null; email: string | null }) =>
  user.display_name ?? user.email ?? "This user";

type UserRow = {
  id: string;
  email: string | null;
  display_name: string | null;
  role: Role;
  admin_grant: AdminGrant | null;
  created_at: Date;
  last_seen_at: Date | null;
  deactivated_at: Date | null;
};

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  role: row.role,
  adminGrant: row.admin_grant,
  createdAt: iso(row.created_at),
  lastSeenAt: isoOrNull(row.last_seen_at),
  deactivatedAt: isoOrNull(row.deactivated_at),
});

export const USER_COLUMNS = [
  "id",
  "email",
  "display_name",
  "role",
  "admin_grant",
  "created_at",
  "last_seen_at",
  "deactivated_at",
] as const;

export async function listUsers(scope: Scope): Promise<{ items: User[] }> {
  const rows = await scope.db
    .selectFrom("users")
    .select(USER_COLUMNS)
    .where("org_id", "=", scope.caller.orgId)
    .orderBy(sql`lower(coalesce(display_name, email, ''))`)
    .orderBy("id")
    .execute();
  return { items: rows.map(toUser) };
}

/** Makes a user an admin or a member; the organisation is never left without an admin. */
export async function updateUser(scope: Scope, id: string, input: UserUpdate): Promise<User> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    const admins = await lockActiveAdmins(tx, scope.caller, "changes roles");
    const user = await tx
      .selectFrom("users")
      .select(USER_COLUMNS)
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!user) throw notFound("The user");
    if (user.role === input.role) return toUser(user);
    // The grant comes back with the user's next token: the tenant (or the server's list) decides this one.
    if (user.admin_grant === "app_role")
      throw new AppError(
        "role_granted_at_sign_in",
        409,
        `${nameOf(user)} is an admin through the app role the tenant assigned them in Entra: remove the assignment there (Enterprise applications → Rapport → Users and groups), and they become a member at their next sign-in.`,
      );
    if (user.admin_grant === "server_list")
      throw new AppError(
        "role_granted_at_sign_in",
        409,
        `${nameOf(user)} is an admin through the server's list (RAPPORT_ADMINS): whoever runs the Rapport server takes them off it, and they become a member at their next sign-in.`,
      );
    if (input.role === "member" && isLastActiveAdmin(admins, id))
      throw new AppError(
        "last_admin",
        409,
        "This is the organisation's only admin: make someone else an admin first.",
      );
    const updated = await tx
      .updateTable("users")
      .set({ role: input.role })
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(
      tx,
      scope.caller,
      "user.role_changed",
      { type: "user", id },
      { from: user.role, to: input.role },
    );
    return toUser(updated);
  });
}
