import { randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { z } from "zod";
import type {
  FormOwnerRule,
  Lead,
  LeadListQuery,
  WebForm,
  WebFormCreate,
  WebFormUpdate,
} from "../../shared/web-forms";
import { recordAudit } from "../audit";
import type { DB, LeadRow, WebFormRow } from "../db/tables";
import { AppError, notFound, versionConflict } from "../errors";
import { decodeCursor, pageOf } from "../http/cursor";
import { type Scope, iso } from "../scope";
import { requireAdmin } from "../users/service";

const WHAT = "manages web forms";

/** 128 random bits, base64url: a form's public address can be neither guessed nor counted through. */
export const newPublicId = (): string => randomBytes(16).toString("base64url");

export interface FormWithOwners {
  row: WebFormRow;
  owners: string[];
  consentText: string | null;
}

export function toWebForm({ row, owners, consentText }: FormWithOwners): WebForm {
  const owner: FormOwnerRule =
    row.owner_kind === "user"
      ? { kind: "user", userId: owners[0] ?? "" }
      : { kind: "roundRobin", userIds: owners };
  return {
    id: row.id,
    publicId: row.public_id,
    name: row.name,
    title: row.title,
    fields: row.fields,
    consentText,
    consentVersion: row.consent_version,
    afterSubmit: row.after_submit,
    owner,
    allowedOrigins: row.allowed_origins,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
  };
}

/** A form with its owners (in turn order) and its current consent text, read in the caller's organisation. */
export async function loadForm(db: Kysely<DB>, orgId: string, id: string): Promise<FormWithOwners | null> {
  const row = await db
    .selectFrom("web_forms")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  return withOwnersAndConsent(db, row);
}

export async function withOwnersAndConsent(db: Kysely<DB>, row: WebFormRow): Promise<FormWithOwners> {
  const owners = await db
    .selectFrom("web_form_owners")
    .select("user_id")
    .where("org_id", "=", row.org_id)
    .where("form_id", "=", row.id)
    .orderBy("position")
    .execute();
  const consent =
    row.consent_version === null
      ? undefined
      : await db
          .selectFrom("web_form_consents")
          .select("text")
          .where("org_id", "=", row.org_id)
          .where("form_id", "=", row.id)
          .where("version", "=", row.consent_version)
          .executeTakeFirst();
  return { row, owners: owners.map((o) => o.user_id), consentText: consent?.text ?? null };
}

export async function listWebForms(scope: Scope): Promise<{ items: WebForm[] }> {
  await requireAdmin(scope.db, scope.caller, WHAT);
  const rows = await scope.db
    .selectFrom("web_forms")
    .selectAll()
    .where("org_id", "=", scope.caller.orgId)
    .orderBy(sql`lower(name)`)
    .orderBy("id")
    .execute();
  const items: WebForm[] = [];
  for (const row of rows) items.push(toWebForm(await withOwnersAndConsent(scope.db, row)));
  return { items };
}

export async function getWebForm(scope: Scope, id: string): Promise<WebForm> {
  await requireAdmin(scope.db, scope.caller, WHAT);
  const form = await loadForm(scope.db, scope.caller.orgId, id);
  if (!form) throw notFound("The web form");
  return toWebForm(form);
}

const ownersOf = (rule: FormOwnerRule): string[] =>
  rule.kind === "user" ? [rule.userId] : [...new Set(rule.userIds)];

/** The owners are colleagues and the custom field targets defined fields: a form never points at nothing. */
async function checkReferences(
  tx: Kysely<DB>,
  orgId: string,
  input: { owner?: FormOwnerRule; fields?: WebFormCreate["fields"] },
): Promise<void> {
  const errors: { path: string; message: string }[] = [];
  if (input.owner) {
    const wanted = ownersOf(input.owner);
    const found = await tx
      .selectFrom("users")
      .select("id")
      .where("org_id", "=", orgId)
      .where("id", "in", wanted)
      .execute();
    const known = new Set(found.map((u) => u.id));
    for (const id of wanted)
      if (!known.has(id)) errors.push({ path: "body.owner", message: `no colleague has the id ${id}` });
  }
  if (input.fields) {
    const custom = input.fields
      .map((f, i) => ({ i, match: /^(contact|company)\.custom\.(.+)$/u.exec(f.target) }))
      .filter((c) => c.match !== null);
    if (custom.length) {
      const definitions = await tx
        .selectFrom("custom_field_definitions")
        .select(["entity", "key"])
        .where("org_id", "=", orgId)
        .where("entity", "in", ["contact", "company"])
        .execute();
      const defined = new Set(definitions.map((d) => `${d.entity}.custom.${d.key}`));
      for (const { i, match } of custom)
        if (!defined.has(match?.[0] ?? ""))
          errors.push({
            path: `body.fields.${i}.target`,
            message: `no ${match?.[1] ?? ""} custom field has the key "${(match?.[2] ?? "").slice(0, 100)}"`,
          });
    }
  }
  if (errors.length)
    throw new AppError(
      "invalid_request",
      400,
      `The request body is not valid: ${errors
        .slice(0, 5)
        .map((e) => `${e.path.slice("body.".length)}: ${e.message}`)
        .join("; ")}`,
      { errors },
    );
}

async function setOwners(tx: Kysely<DB>, orgId: string, formId: string, rule: FormOwnerRule): Promise<void> {
  await tx.deleteFrom("web_form_owners").where("org_id", "=", orgId).where("form_id", "=", formId).execute();
  await tx
    .insertInto("web_form_owners")
    .values(
      ownersOf(rule).map((user_id, position) => ({ org_id: orgId, form_id: formId, user_id, position })),
    )
    .execute();
}

/** A new consent version when the text changes (or appears); null when the form asks for none. */
async function nextConsentVersion(
  tx: Kysely<DB>,
  orgId: string,
  formId: string,
  current: { version: number | null; text: string | null },
  text: string | null,
): Promise<number | null> {
  if (text === null) return null;
  if (current.text === text) return current.version;
  const last = await tx
    .selectFrom("web_form_consents")
    .select(sql<number>`coalesce(max(version), 0)`.as("v"))
    .where("org_id", "=", orgId)
    .where("form_id", "=", formId)
    .executeTakeFirstOrThrow();
  const version = Number(last.v) + 1;
  await tx
    .insertInto("web_form_consents")
    .values({ org_id: orgId, form_id: formId, version, text })
    .execute();
  return version;
}

export async function createWebForm(scope: Scope, input: WebFormCreate): Promise<WebForm> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    await checkReferences(tx, orgId, input);
    const row = await tx
      .insertInto("web_forms")
      .values({
        org_id: orgId,
        public_id: newPublicId(),
        signing_key: randomBytes(32),
        name: input.name,
        title: input.title,
        fields: JSON.stringify(input.fields),
        after_submit: JSON.stringify(input.afterSubmit),
        owner_kind: input.owner.kind,
        allowed_origins: [...new Set(input.allowedOrigins)],
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await setOwners(tx, orgId, row.id, input.owner);
    const consentVersion = await nextConsentVersion(
      tx,
      orgId,
      row.id,
      { version: null, text: null },
      input.consentText,
    );
    if (consentVersion !== null)
      await tx
        .updateTable("web_forms")
        .set({ consent_version: consentVersion })
        .where("org_id", "=", orgId)
        .where("id", "=", row.id)
        .execute();
    await recordAudit(tx, scope.caller, "web_form.created", { type: "web_form", id: row.id });
    const form = await loadForm(tx, orgId, row.id);
    if (!form) throw notFound("The web form");
    return toWebForm(form);
  });
}

export async function updateWebForm(
  scope: Scope,
  id: string,
  version: number,
  input: WebFormUpdate,
): Promise<WebForm> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    await checkReferences(tx, orgId, input);
    const before = await loadForm(tx, orgId, id);
    if (!before) throw notFound("The web form");
    const consentVersion =
      input.consentText === undefined
        ? undefined
        : await nextConsentVersion(
            tx,
            orgId,
            id,
            { version: before.row.consent_version, text: before.consentText },
            input.consentText,
          );
    const row = await tx
      .updateTable("web_forms")
      .set({
        name: input.name,
        title: input.title,
        fields: input.fields === undefined ? undefined : JSON.stringify(input.fields),
        consent_version: consentVersion,
        after_submit: input.afterSubmit === undefined ? undefined : JSON.stringify(input.afterSubmit),
        owner_kind: input.owner?.kind,
        allowed_origins: input.allowedOrigins === undefined ? undefined : [...new Set(input.allowedOrigins)],
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .where("version", "=", version)
      .returning("id")
      .executeTakeFirst();
    // A stale version: the new consent version made above goes with the rolled-back transaction.
    if (!row) throw versionConflict(toWebForm(before));
    if (input.owner) await setOwners(tx, orgId, id, input.owner);
    await recordAudit(
      tx,
      scope.caller,
      "web_form.updated",
      { type: "web_form", id },
      { fields: Object.keys(input), consentVersion: consentVersion ?? before.row.consent_version },
    );
    const form = await loadForm(tx, orgId, id);
    if (!form) throw notFound("The web form");
    return toWebForm(form);
  });
}

export async function deleteWebForm(scope: Scope, id: string): Promise<{ id: string; deleted: true }> {
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const row = await tx
      .deleteFrom("web_forms")
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", id)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw notFound("The web form");
    await recordAudit(tx, scope.caller, "web_form.deleted", { type: "web_form", id });
    return { id, deleted: true as const };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Leads

export const toLead = (row: LeadRow): Lead => ({
  id: row.id,
  formId: row.form_id,
  contactId: row.contact_id,
  companyId: row.company_id,
  ownerId: row.owner_id,
  taskId: row.task_id,
  pageUrl: row.page_url,
  utm: {
    source: row.utm_source,
    medium: row.utm_medium,
    campaign: row.utm_campaign,
    term: row.utm_term,
    content: row.utm_content,
  },
  consentVersion: row.consent_version,
  consentText: row.consent_text,
  submitted: row.submitted,
  createdAt: iso(row.created_at),
});

const LeadCursor = z.tuple([z.iso.datetime(), z.uuid()]);

/** Leads are the organisation's records like contacts: every member reads them. */
export async function listLeads(scope: Scope, query: LeadListQuery) {
  const after = decodeCursor(query.cursor, LeadCursor);
  let select = scope.db.selectFrom("leads").selectAll().where("org_id", "=", scope.caller.orgId);
  if (query.formId) select = select.where("form_id", "=", query.formId);
  if (query.contactId) select = select.where("contact_id", "=", query.contactId);
  if (after)
    select = select.where(sql<boolean>`(created_at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`);
  const rows = await select
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(query.limit + 1)
    .execute();
  return pageOf(rows, query.limit, toLead, (r) => [iso(r.created_at), r.id]);
}
