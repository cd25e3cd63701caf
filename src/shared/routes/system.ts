import { z } from "zod";
import type { RouteContract } from "./contract";

/** How the add-in signs in here: Microsoft Entra ID (MSAL in Outlook) and/or the local issuer (development). */
export const SignInConfig = z.object({
  entra: z
    .object({
      clientId: z.string(),
      authority: z.string(),
      /** The API scope to ask for, e.g. `api://crm.example.com/<client id>/access_as_user`. */
      scope: z.string(),
    })
    .nullable(),
  localIssuer: z.boolean(),
  /** Whether Rapport's own accounts (address and password, /api/v1/account/sign-in) are served; absent: not. */
  accounts: z.boolean().optional(),
});
export type SignInConfig = z.infer<typeof SignInConfig>;

export const Health = z.object({ status: z.literal("ok"), store: z.enum(["pglite", "postgres"]) });

/** The server itself: whether it is up, and how the front ends sign in to it. */
export const systemRoutes = {
  health: {
    method: "GET",
    path: "/healthz",
    summary: "Ready once the store is open and migrated",
    public: true,
    responses: { 200: Health },
  },
  signIn: {
    method: "GET",
    path: "/api/v1/sign-in",
    summary:
      "How the add-in signs in: Entra ID's client id and scope, whether the local issuer is on, whether Rapport's own accounts are",
    public: true,
    responses: { 200: SignInConfig },
  },
} as const satisfies Record<string, RouteContract>;
