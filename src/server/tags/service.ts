import { sql } from "kysely";
import type { TagUsage } from "../../shared/tags";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import type { Scope } from "../scope";
import { requireAdmin } from "../users/service";

// Tags live on contacts (`contacts.tags`, a text array): there is no tag table, so a tag exists while a contact
// carries it. Renaming and deleting rewrite the arrays of the contacts that carry it, in one statement each;
// the contacts' versions go up, as any change to them does.

const WHAT = "renames and deletes tags";

const noSuchTag = (tag: string) =>
  new AppError("not_found", 404, `No contact carries the tag "${tag.slice(0, 50)}".`);

/** By name, ignoring case; names differing only in case in a fixed (byte) order, the same on every server. */
export async function listTags(scope: Scope): Promise<{ items: TagUsage[] }> {
  const rows = await sql<{ name: string; contacts: number }>`
    select t.name, count(*)::int as contacts
    from contacts c, unnest(c.tags) as t(name)
    where c.org_id = ${scope.caller.orgId}
    group by t.name
    order by lower(t.name), t.name collate "C"`.execute(scope.db);
  return { items: rows.rows };
}

/** Renames a tag on every contact; a contact that already had the new name keeps it once, where it was first. */
export async function renameTag(scope: Scope, from: string, to: string): Promise<TagUsage> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const renamed = await sql<{ id: string }>`
      update contacts c set
        tags = array(
          select t.name from unnest(array_replace(c.tags, ${from}, ${to})) with ordinality as t(name, n)
          group by t.name order by min(t.n)),
        version = c.version + 1,
        updated_at = now()
      where c.org_id = ${orgId} and ${from} = any(c.tags)
      returning c.id`.execute(tx);
    if (renamed.rows.length === 0) throw noSuchTag(from);
    const carrying = await sql<{ n: number }>`
      select count(*)::int as n from contacts where org_id = ${orgId} and ${to} = any(tags)`.execute(tx);
    await recordAudit(
      tx,
      scope.caller,
      "tag.renamed",
      { type: "organization", id: orgId },
      { from, to, contacts: renamed.rows.length },
    );
    return { name: to, contacts: carrying.rows[0]?.n ?? 0 };
  });
}

export async function deleteTag(
  scope: Scope,
  tag: string,
): Promise<{ name: string; deleted: true; contacts: number }> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const result = await tx
      .updateTable("contacts")
      .set({
        tags: sql`array_remove(tags, ${tag})`,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where(sql<boolean>`${tag} = any(tags)`)
      .executeTakeFirst();
    const contacts = Number(result.numUpdatedRows);
    if (contacts === 0) throw noSuchTag(tag);
    await recordAudit(
      tx,
      scope.caller,
      "tag.deleted",
      { type: "organization", id: orgId },
      { tag, contacts },
    );
    return { name: tag, deleted: true as const, contacts };
  });
}
