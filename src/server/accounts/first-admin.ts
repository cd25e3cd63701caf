import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { seedDefaultPipeline } from "../auth/caller";
import type { DB } from "../db/tables";
import { inviteInto } from "./service";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface FirstAdmin {
  organization: { id: string; name: string; created: boolean };
  link: string;
  expiresAt: string;
}

/**
 * An organisation's first admin, from the server's own machine (`npm run admin`): the organisation named is found
 * (by its id, its tenant, the local issuer's name for it, or its name) or made, and an admin invitation is made
 * for the address. Whoever opens the link sets the password: nothing secret is typed on the command line.
 */
export async function createFirstAdmin(
  db: Kysely<DB>,
  input: { email: string; org: string; linkBase: string },
): Promise<FirstAdmin> {
  return db.transaction().execute(async (tx) => {
    const wanted = input.org.trim();
    const lowered = wanted.toLowerCase();
    let query = tx.selectFrom("organizations").select(["id", "name"]);
    query = UUID.test(wanted)
      ? query.where("id", "=", lowered)
      : query.where((eb) =>
          eb.or([
            eb("tenant_id", "=", wanted),
            eb("tenant_id", "=", `local:${lowered}`),
            eb(eb.fn("lower", ["name"]), "=", lowered),
          ]),
        );
    const found = await query.orderBy("created_at").limit(2).execute();
    if (found.length > 1)
      throw new Error(
        `More than one organisation answers to "${wanted}": name it by its id (${found.map((o) => o.id).join(", ")}).`,
      );
    let organization = found[0] ? { ...found[0], created: false } : null;
    if (!organization) {
      if (UUID.test(wanted)) throw new Error(`There is no organisation with the id ${wanted}.`);
      const made = await tx
        .insertInto("organizations")
        // An organisation of Rapport's own accounts has no Entra tenant: a tenant id of its own that no token names.
        .values({ tenant_id: `rapport:${randomUUID()}`, name: wanted })
        .returning(["id", "name"])
        .executeTakeFirstOrThrow();
      await seedDefaultPipeline(tx, made.id);
      organization = { ...made, created: true };
    }
    const { link, expiresAt } = await inviteInto(
      tx,
      organization.id,
      null,
      { email: input.email, role: "admin" },
      input.linkBase,
    );
    return { organization, link, expiresAt };
  });
}
