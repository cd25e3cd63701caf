import { IdParams } from "../common";
import { User, UserList, UserUpdate } from "../users";
import type { RouteContract } from "./contract";

/** The organisation's users and their roles. */
export const userRoutes = {
  listUsers: {
    method: "GET",
    path: "/api/v1/users",
    summary: "The organisation's users and their roles",
    responses: { 200: UserList },
  },
  updateUser: {
    method: "PATCH",
    path: "/api/v1/users/:id",
    summary: "Make a user an admin or a member (admins only; the last admin stays: 409 last_admin)",
    params: IdParams,
    body: UserUpdate,
    responses: { 200: User },
  },
} as const satisfies Record<string, RouteContract>;
