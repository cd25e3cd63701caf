import { type ExpressionBuilder, type Kysely, sql } from "kysely";
import { z } from "zod";
import { LANGUAGES, type Language } from "../../shared/languages";
import {
  type MergeFieldEntity,
  type MergeFieldProblem,
  isMergeField,
  mergeFieldProblems,
} from "../../shared/merge-fields";
import type {
  Template,
  TemplateCreate,
  TemplateListQuery,
  TemplateStats,
  TemplateUpdate,
  TemplateVariant,
  TemplateVariants,
} from "../../shared/templates";
import { recordAudit } from "../audit";
import type { DB, TemplateRow } from "../db/tables";
import { AppError, notFound, versionConflict } from "../errors";
import { NameCursor, byName, decodeCursor, likePattern, pageOf } from "../http/cursor";
import { type Scope, iso, isoOrNull } from "../scope";
import { currentRole } from "../users/service";
import { sanitizeTemplateHtml } from "./sanitize";

// Templates. Who sees one: everyone in the organisation for its templates, only the owner for a personal one
// (admins included: a rep's drafts are their own). Who writes one: admins for the organisation's, the owner
// for a personal one. Every query names the organisation and the visibility rule; the organisation wall
// (row-level security) stands behind the first.

type VariantRow = { language: Language; subject: string; html: string };
type TemplateJoined = TemplateRow & { variants: VariantRow[] };

const toTemplate = (row: TemplateJoined): Template => {
  const variants: TemplateVariants = {};
  for (const v of row.variants) variants[v.language] = { subject: v.subject, html: v.html };
  return {
    id: row.id,
    name: row.name,
    folder: row.folder,
    tags: row.tags,
    scope: row.scope,
    ownerId: row.owner_id,
    createdBy: row.created_by,
    archived: row.archived_at !== null,
    archivedAt: isoOrNull(row.archived_at),
    variants,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
  };
};

/** The caller may see it: the organisation's, or their own. */
export const visibleTo = (userId: string) => (eb: ExpressionBuilder<DB & { t: DB["templates"] }, "t">) =>
  eb.or([eb("t.scope", "=", "organization"), eb("t.owner_id", "=", userId)]);

/** The templates the caller sees, each with its variants in the languages' order. */
export function selectTemplates(db: Kysely<DB>, caller: Scope["caller"]) {
  return db
    .selectFrom("templates as t")
    .selectAll("t")
    .select(
      sql<VariantRow[]>`coalesce((
        select json_agg(json_build_object('language', v.language, 'subject', v.subject, 'html', v.html)
          order by array_position(array['en', 'sv', 'de', 'nb', 'hr'], v.language))
        from template_variants v where v.org_id = t.org_id and v.template_id = t.id), '[]'::json)`.as(
        "variants",
      ),
    )
    .where("t.org_id", "=", caller.orgId)
    .where(visibleTo(caller.userId));
}

const order = byName("t.name", "t.id");

/**
 * The caller's most recent use of a template first: minus its time in milliseconds, so that one ascending
 * keyset (this, the name, the id) pages it; never used is 1, after every use.
 */
const recentKey = (userId: string) =>
  sql<number>`coalesce(-(extract(epoch from (
    select max(u.used_at) from template_uses u
    where u.org_id = t.org_id and u.template_id = t.id and u.used_by = ${userId})) * 1000)::float8, 1)`;
const RecentCursor = z.tuple([z.number(), z.string(), z.uuid()]);

export async function listTemplates(scope: Scope, query: TemplateListQuery) {
  const recent = query.order === "recent";
  const after = recent ? null : decodeCursor(query.cursor, NameCursor);
  const afterRecent = recent ? decodeCursor(query.cursor, RecentCursor) : null;
  const recentSort = recentKey(scope.caller.userId);
  let select = selectTemplates(scope.db, scope.caller)
    .select(order.key.as("sort_key"))
    .select(recentSort.as("recent_key"));
  if (query.q) {
    const pattern = likePattern(query.q);
    select = select.where((eb) =>
      eb.or([
        eb("t.name", "ilike", pattern),
        eb.exists(
          eb
            .selectFrom("template_variants as v")
            .select(sql`1`.as("one"))
            .whereRef("v.template_id", "=", "t.id")
            .where("v.subject", "ilike", pattern),
        ),
      ]),
    );
  }
  if (query.scope) select = select.where("t.scope", "=", query.scope);
  if (query.folder) select = select.where("t.folder", "=", query.folder);
  if (query.tag) select = select.where(sql<boolean>`t.tags @> array[${query.tag}]::text[]`);
  if (query.archived === "false") select = select.where("t.archived_at", "is", null);
  if (query.archived === "true") select = select.where("t.archived_at", "is not", null);
  if (after) select = select.where(order.after(after));
  if (afterRecent) {
    const [key, name, id] = afterRecent;
    select = select.where(
      sql<boolean>`(${recentSort}, ${order.key}, t.id) > (${key}::float8, ${name}, ${id}::uuid)`,
    );
  }
  if (recent) {
    const rows = await select
      .orderBy(recentSort)
      .orderBy(order.key)
      .orderBy("t.id")
      .limit(query.limit + 1)
      .execute();
    return pageOf(rows, query.limit, toTemplate, (r) => [Number(r.recent_key), r.sort_key, r.id]);
  }
  const rows = await select
    .orderBy(order.key)
    .orderBy("t.id")
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, toTemplate, (r) => [r.sort_key, r.id]);
}

export async function getTemplate(scope: Scope, id: string): Promise<Template> {
  const row = await selectTemplates(scope.db, scope.caller).where("t.id", "=", id).executeTakeFirst();
  if (!row) throw notFound("The template");
  return toTemplate(row);
}

/** Admins write the organisation's templates; a personal one only its owner (who alone sees it). */
async function requireWriter(
  tx: Kysely<DB>,
  caller: Scope["caller"],
  template: { scope: TemplateRow["scope"]; owner_id: string | null },
): Promise<void> {
  if (template.scope === "personal") {
    if (template.owner_id !== caller.userId) throw notFound("The template");
    return;
  }
  if ((await currentRole(tx, caller)) !== "admin")
    throw new AppError("forbidden", 403, "Only an admin of the organisation writes its templates.");
}

/** The custom field keys each record has now: a template may name only those. */
async function customKeys(tx: Kysely<DB>, orgId: string): Promise<Record<MergeFieldEntity, Set<string>>> {
  const rows = await tx
    .selectFrom("custom_field_definitions")
    .select(["entity", "key"])
    .where("org_id", "=", orgId)
    .execute();
  const keys: Record<MergeFieldEntity, Set<string>> = {
    contact: new Set(),
    company: new Set(),
    deal: new Set(),
  };
  for (const row of rows) keys[row.entity].add(row.key);
  return keys;
}

const problemMessage = (problem: MergeFieldProblem) =>
  problem.reason === "unknown"
    ? `{{${problem.field}}} is not a merge field`
    : `{{${problem.field}}} is inside a tag; merge fields go in the text`;

/**
 * Each variant's HTML sanitised, and every merge field of every subject and body checked: one that names no
 * field (or sits inside a tag) refuses the whole save with 400, naming each such field and where it is.
 */
async function checkedVariants(
  tx: Kysely<DB>,
  orgId: string,
  variants: TemplateVariants,
): Promise<[Language, TemplateVariant][]> {
  const keys = await customKeys(tx, orgId);
  const isKnown = (name: string) => isMergeField(name, keys);
  const errors: { path: string; message: string; field: string }[] = [];
  const checked: [Language, TemplateVariant][] = [];
  for (const language of LANGUAGES) {
    const variant = variants[language];
    if (!variant) continue;
    const html = sanitizeTemplateHtml(variant.html, `body.variants.${language}.html`);
    for (const [part, text, markup] of [
      ["subject", variant.subject, false],
      ["html", html, true],
    ] as const) {
      for (const problem of mergeFieldProblems(text, markup, isKnown))
        errors.push({
          path: `body.variants.${language}.${part}`,
          message: problemMessage(problem),
          field: problem.field,
        });
    }
    checked.push([language, { subject: variant.subject, html }]);
  }
  if (errors.length > 0) {
    const fields = [...new Set(errors.map((e) => e.field))];
    throw new AppError(
      "invalid_request",
      400,
      `The template names merge fields that do not exist or cannot be where they are: ${fields.join(", ")}.`,
      { errors: errors.slice(0, 50).map(({ path, message }) => ({ path, message })) },
    );
  }
  return checked;
}

async function setVariants(
  tx: Kysely<DB>,
  orgId: string,
  templateId: string,
  variants: [Language, TemplateVariant][],
): Promise<void> {
  await tx
    .deleteFrom("template_variants")
    .where("org_id", "=", orgId)
    .where("template_id", "=", templateId)
    .execute();
  await tx
    .insertInto("template_variants")
    .values(
      variants.map(([language, v]) => ({
        org_id: orgId,
        template_id: templateId,
        language,
        subject: v.subject,
        html: v.html,
      })),
    )
    .execute();
}

export async function createTemplate(scope: Scope, input: TemplateCreate): Promise<Template> {
  return scope.db.transaction().execute(async (tx) => {
    const { orgId, userId } = scope.caller;
    const ownerId = input.scope === "personal" ? userId : null;
    await requireWriter(tx, scope.caller, { scope: input.scope, owner_id: ownerId });
    const variants = await checkedVariants(tx, orgId, input.variants);
    const row = await tx
      .insertInto("templates")
      .values({
        org_id: orgId,
        scope: input.scope,
        owner_id: ownerId,
        name: input.name,
        folder: input.folder ?? null,
        tags: [...new Set(input.tags ?? [])],
        created_by: userId,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await setVariants(tx, orgId, row.id, variants);
    await recordAudit(
      tx,
      scope.caller,
      "template.created",
      { type: "template", id: row.id },
      { scope: input.scope },
    );
    return getTemplate({ ...scope, db: tx }, row.id);
  });
}

/** The template as the caller may write it, locked until the transaction ends; 404 when they cannot see it. */
async function templateToWrite(tx: Kysely<DB>, caller: Scope["caller"], id: string) {
  const row = await tx
    .selectFrom("templates as t")
    .select(["t.id", "t.scope", "t.owner_id", "t.version"])
    .where("t.org_id", "=", caller.orgId)
    .where("t.id", "=", id)
    .where(visibleTo(caller.userId))
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound("The template");
  await requireWriter(tx, caller, row);
  return row;
}

export async function updateTemplate(
  scope: Scope,
  id: string,
  version: number,
  input: TemplateUpdate,
): Promise<Template> {
  return scope.db.transaction().execute(async (tx) => {
    const txScope = { ...scope, db: tx };
    const { orgId } = scope.caller;
    const current = await templateToWrite(tx, scope.caller, id);
    if (current.version !== version) throw versionConflict(await getTemplate(txScope, id));
    const variants =
      input.variants === undefined ? undefined : await checkedVariants(tx, orgId, input.variants);
    await tx
      .updateTable("templates")
      .set({
        name: input.name,
        folder: input.folder,
        tags: input.tags === undefined ? undefined : [...new Set(input.tags)],
        archived_at:
          input.archived === undefined
            ? undefined
            : input.archived
              ? sql`coalesce(archived_at, now())`
              : null,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .execute();
    if (variants) await setVariants(tx, orgId, id, variants);
    const action =
      input.archived === true
        ? "template.archived"
        : input.archived === false
          ? "template.restored"
          : "template.updated";
    await recordAudit(tx, scope.caller, action, { type: "template", id }, { fields: Object.keys(input) });
    return getTemplate(txScope, id);
  });
}

/** Deleting a template forgets its uses too; archiving keeps them. */
export async function deleteTemplate(scope: Scope, id: string): Promise<{ id: string; deleted: true }> {
  return scope.db.transaction().execute(async (tx) => {
    await templateToWrite(tx, scope.caller, id);
    await tx.deleteFrom("templates").where("org_id", "=", scope.caller.orgId).where("id", "=", id).execute();
    await recordAudit(tx, scope.caller, "template.deleted", { type: "template", id });
    return { id, deleted: true as const };
  });
}

/** Whether the caller sees the template (a log naming one they cannot see is refused). */
export async function templateVisible(db: Kysely<DB>, caller: Scope["caller"], id: string): Promise<boolean> {
  const row = await db
    .selectFrom("templates as t")
    .select("t.id")
    .where("t.org_id", "=", caller.orgId)
    .where("t.id", "=", id)
    .where(visibleTo(caller.userId))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A template's uses, and how many were answered: a use is answered when, after the sent email, an incoming
 * email came from one of its recipients (to or cc, by canonical address), in the same conversation when both
 * carry a conversation id.
 */
export async function templateStats(scope: Scope, id: string): Promise<TemplateStats> {
  await getTemplate(scope, id); // 404 for a template the caller cannot see
  const { orgId } = scope.caller;
  const result = await sql<{ used: number; answered: number; last_used_at: Date | null }>`
    select count(*)::int as used,
      count(*) filter (where exists (
        select 1
        from interaction_participants sent_to
        join interaction_participants reply_from
          on reply_from.org_id = sent_to.org_id and reply_from.address = sent_to.address and reply_from.role = 'from'
        join interactions reply on reply.org_id = reply_from.org_id and reply.id = reply_from.interaction_id
        where sent_to.org_id = u.org_id and sent_to.interaction_id = u.interaction_id
          and sent_to.role in ('to', 'cc')
          and reply.kind = 'email' and reply.direction = 'in'
          and reply.occurred_at > sent.occurred_at
          and (sent.conversation_id is null or reply.conversation_id is null
            or reply.conversation_id = sent.conversation_id)
      ))::int as answered,
      max(sent.occurred_at) as last_used_at
    from template_uses u
    join interactions sent on sent.org_id = u.org_id and sent.id = u.interaction_id
    where u.org_id = ${orgId} and u.template_id = ${id}`.execute(scope.db);
  const row = result.rows[0];
  return {
    templateId: id,
    used: row?.used ?? 0,
    answered: row?.answered ?? 0,
    lastUsedAt: row?.last_used_at ? iso(new Date(row.last_used_at)) : null,
  };
}

/**
 * Records that a logged email was written from a template, once per email (a second log naming another
 * template changes nothing). A template the logger does not see (deleted since it went into the draft, as it can
 * be for hours while classic Outlook's queue waits for a pane; or never theirs) is not counted, and the email is
 * logged all the same: the count is worth less than the log, which the outbox could never send otherwise.
 */
export async function recordTemplateUse(
  tx: Kysely<DB>,
  caller: Scope["caller"],
  interactionId: string,
  templateId: string,
): Promise<void> {
  if (!(await templateVisible(tx, caller, templateId))) return;
  await tx
    .insertInto("template_uses")
    .values({
      org_id: caller.orgId,
      interaction_id: interactionId,
      template_id: templateId,
      used_by: caller.userId,
      // When the email was sent: "recently used" follows the mail, not when it happened to be logged.
      used_at: sql<Date>`(select i.occurred_at from interactions i
        where i.org_id = ${caller.orgId} and i.id = ${interactionId})`,
    })
    .onConflict((oc) => oc.columns(["org_id", "interaction_id"]).doNothing())
    .execute();
}
