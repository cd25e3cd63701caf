import { z } from "zod";
import { Id, IsoDateTime } from "./common";

export const Role = z.enum(["admin", "member"]);
export type Role = z.infer<typeof Role>;

/**
 * How a sign-in made a user an admin: the Entra app role the tenant assigned them, or the server's list
 * (RAPPORT_ADMINS). Such a role follows the sign-in and is not changed in Rapport (409 role_granted_at_sign_in).
 */
export const AdminGrant = z.enum(["app_role", "server_list"]);
export type AdminGrant = z.infer<typeof AdminGrant>;

export const User = z.object({
  id: Id,
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  role: Role,
  /** null for a member, and for an admin made one by another admin (or as the local issuer's first user). */
  adminGrant: AdminGrant.nullable(),
  createdAt: IsoDateTime,
  lastSeenAt: IsoDateTime.nullable(),
  /** When an admin ended the user's access (their sessions ended with it); null while they have it. */
  deactivatedAt: IsoDateTime.nullable(),
});
export type User = z.infer<typeof User>;

export const UserList = z.object({ items: z.array(User) });

/** An organisation always keeps an admin: demoting the last one is refused (409 last_admin). */
export const UserUpdate = z.strictObject({ role: Role });
export type UserUpdate = z.infer<typeof UserUpdate>;
