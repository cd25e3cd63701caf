import type { Me } from "../../shared/routes";
import type { Scope } from "../scope";
import { mySettings } from "../sync/service";
import { blocklistFor } from "./privacy";
import { internalDomainsAsWritten, loggingPolicyOf } from "./service";

/**
 * The caller and their organisation, with what a front end needs before it logs anything: the organisation's
 * logging policy, the caller's own switches, and the privacy rules (internal domains, the blocklists) the pane
 * and the on-send commands check.
 */
export async function me(scope: Scope, adminAppRole: string | null): Promise<Me> {
  const { db, caller } = scope;
  const [user, org, settings, blocklist] = await Promise.all([
    db
      .selectFrom("users")
      .select(["id", "email", "display_name", "role"])
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom("users as a")
              .select("a.id")
              .where("a.org_id", "=", caller.orgId)
              .where("a.role", "=", "admin"),
          )
          .$castTo<boolean>()
          .as("has_admin"),
      )
      .where("id", "=", caller.userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("organizations")
      .select(["id", "name", "internal_domains", "internal_domains_as_written", "logging_policy"])
      .where("id", "=", caller.orgId)
      .executeTakeFirstOrThrow(),
    mySettings(db, caller.orgId, caller.userId),
    blocklistFor(db, caller.orgId, caller.userId),
  ]);
  return {
    settings,
    privacy: { internalDomains: org.internal_domains, blocklist },
    user: {
      id: user.id,
      email: user.email,
      displayName: user.display_name,
      role: user.role,
      signedInWith: caller.signedInWith ?? "local",
    },
    organization: {
      id: org.id,
      name: org.name,
      internalDomains: internalDomainsAsWritten(org),
      loggingPolicy: loggingPolicyOf(org.logging_policy),
      hasAdmin: user.has_admin,
    },
    adminAppRole,
  };
}
