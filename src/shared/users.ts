import { z } from "zod";
import { Id, IsoDateTime } from "./common";

export const Role = z.enum(["admin", "member"]);
export type Role = z.infer<typeof Role>;

export const User = z.object({
  id: Id,
  email: z.string().nullable(),
  displayName: z.string().nullable(),
  role: Role,
  createdAt: IsoDateTime,
  lastSeenAt: IsoDateTime.nullable(),
});
export type User = z.infer<typeof User>;

export const UserList = z.object({ items: z.array(User) });

/** An organisation always keeps an admin: demoting the last one is refused (409 last_admin). */
export const UserUpdate = z.strictObject({ role: Role });
export type UserUpdate = z.infer<typeof UserUpdate>;
