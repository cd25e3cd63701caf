import type { Kysely } from "kysely";
import { LANGUAGES, type Language } from "../../shared/languages";
import {
  type MergeFieldEntity,
  type MergeSources,
  RenderedTooLong,
  mergeValuesOf,
  renderTemplate,
  surveyFieldsIn,
} from "../../shared/merge-fields";
import type {
  RenderedTemplate,
  SenderProfile,
  SenderProfileUpdate,
  TemplateRenderRequest,
  TemplateVariants,
} from "../../shared/templates";
import { recordAudit } from "../audit";
import type { DB } from "../db/tables";
import { AppError, notFound } from "../errors";
import type { Scope } from "../scope";
import { makeSurveyLink } from "../ratings/service";
import { getTemplate } from "./service";

/** The variant a contact reads: their language, else the rep's, else English, else the first the template has. */
export function variantLanguage(
  variants: TemplateVariants,
  contactLanguage: Language | null,
  repLanguage: Language | null,
): Language {
  for (const language of [contactLanguage, repLanguage, "en" as const])
    if (language !== null && variants[language]) return language;
  const first = LANGUAGES.find((language) => variants[language]);
  // A stored template has at least one variant (the schema refuses none).
  if (!first) throw new Error("a template without a variant");
  return first;
}

async function dealFor(tx: Kysely<DB>, orgId: string, contactId: string, dealId: string | null | undefined) {
  const deals = tx
    .selectFrom("deals as d")
    .innerJoin("stages as s", "s.id", "d.stage_id")
    .select(["d.id", "d.name", "d.amount", "d.currency", "d.custom_fields", "s.name as stage"])
    .where("d.org_id", "=", orgId);
  if (dealId === null) return null;
  if (dealId !== undefined) {
    const deal = await deals.where("d.id", "=", dealId).executeTakeFirst();
    if (!deal) throw notFound("The deal");
    return deal;
  }
  // As a logged email links one: the contact's single open deal, none when they have several.
  const open = await deals
    .innerJoin("deal_contacts as dc", (join) =>
      join.onRef("dc.deal_id", "=", "d.id").onRef("dc.org_id", "=", "d.org_id"),
    )
    .where("dc.contact_id", "=", contactId)
    .where("s.kind", "=", "open")
    .limit(2)
    .execute();
  return open.length === 1 ? (open[0] ?? null) : null;
}

/**
 * A template filled in for a contact: every value as text in the variant's language, every field without a
 * value marked and listed. Reads only (a survey field's link is signed, not stored; the organisation's key is
 * made on its first link); nothing is recorded until the email written from it is logged. Survey links are made
 * on `linkBase`, in the variant's language (without one, or when the request asks for none, a survey field is
 * left unfilled).
 */
export async function renderTemplateFor(
  scope: Scope,
  id: string,
  input: TemplateRenderRequest,
  now: Date,
  linkBase: string | null,
): Promise<RenderedTemplate> {
  const { orgId, userId } = scope.caller;
  const template = await getTemplate(scope, id);
  return scope.db.transaction().execute(async (tx) => {
    const contact = await tx
      .selectFrom("contacts")
      .select(["id", "first_name", "last_name", "title", "language", "company_id", "custom_fields"])
      .where("org_id", "=", orgId)
      .where("id", "=", input.contactId)
      .executeTakeFirst();
    if (!contact) throw notFound("The contact");
    const company = contact.company_id
      ? ((await tx
          .selectFrom("companies")
          .select(["name", "custom_fields"])
          .where("org_id", "=", orgId)
          .where("id", "=", contact.company_id)
          .executeTakeFirst()) ?? null)
      : null;
    const deal = await dealFor(tx, orgId, contact.id, input.dealId);
    const rep = await tx
      .selectFrom("users")
      .select(["display_name", "email", "title", "phone", "signature", "language"])
      .where("org_id", "=", orgId)
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    const definitions = await tx
      .selectFrom("custom_field_definitions")
      .select(["entity", "key", "type"])
      .where("org_id", "=", orgId)
      .execute();
    const customFieldTypes: Record<
      MergeFieldEntity,
      Record<string, MergeSources["customFieldTypes"]["deal"][string]>
    > = { contact: {}, company: {}, deal: {} };
    for (const d of definitions) customFieldTypes[d.entity][d.key] = d.type;

    const language = variantLanguage(template.variants, contact.language, rep.language);
    const variant = template.variants[language];
    if (!variant) throw new Error("the chosen variant is missing");
    const values = mergeValuesOf({
      language,
      today: now,
      timeZone: input.timeZone ?? "UTC",
      contact: {
        firstName: contact.first_name,
        lastName: contact.last_name,
        title: contact.title,
        language: contact.language,
        customFields: contact.custom_fields,
      },
      company: company ? { name: company.name, customFields: company.custom_fields } : null,
      deal: deal
        ? {
            name: deal.name,
            amount: deal.amount === null ? null : Number(deal.amount),
            currency: deal.currency,
            stage: deal.stage,
            customFields: deal.custom_fields,
          }
        : null,
      rep: {
        name: rep.display_name ?? rep.email,
        title: rep.title,
        phone: rep.phone,
        signature: rep.signature,
      },
      customFieldTypes,
    });
    if (linkBase !== null && input.surveyLinks !== false)
      for (const kind of surveyFieldsIn(variant)) {
        const link = await makeSurveyLink(tx, orgId, contact.id, kind, language, now, linkBase);
        values[`survey.${kind}`] = link.url;
      }
    let rendered: ReturnType<typeof renderTemplate>;
    try {
      rendered = renderTemplate(variant, values);
    } catch (error) {
      if (!(error instanceof RenderedTooLong)) throw error;
      // Not a mail anyone could send, nor an answer worth building: refused before it grows further.
      throw new AppError(
        "invalid_request",
        422,
        `The template filled in for this contact would be longer than ${error.maxChars} characters (its ${error.part}).`,
        { errors: [{ path: `params.id`, message: error.message }] },
      );
    }
    return {
      templateId: template.id,
      language,
      ...rendered,
      contactId: contact.id,
      dealId: deal?.id ?? null,
    };
  });
}

const toProfile = (row: {
  display_name: string | null;
  email: string | null;
  title: string | null;
  phone: string | null;
  signature: string | null;
}): SenderProfile => ({
  name: row.display_name ?? row.email,
  title: row.title,
  phone: row.phone,
  signature: row.signature,
});

export async function getSenderProfile(scope: Scope): Promise<SenderProfile> {
  const row = await scope.db
    .selectFrom("users")
    .select(["display_name", "email", "title", "phone", "signature"])
    .where("org_id", "=", scope.caller.orgId)
    .where("id", "=", scope.caller.userId)
    .executeTakeFirstOrThrow();
  return toProfile(row);
}

export async function updateSenderProfile(scope: Scope, input: SenderProfileUpdate): Promise<SenderProfile> {
  return scope.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable("users")
      .set({ title: input.title, phone: input.phone, signature: input.signature })
      .where("org_id", "=", scope.caller.orgId)
      .where("id", "=", scope.caller.userId)
      .returning(["display_name", "email", "title", "phone", "signature"])
      .executeTakeFirstOrThrow();
    await recordAudit(
      tx,
      scope.caller,
      "user.sender_profile_updated",
      { type: "user", id: scope.caller.userId },
      { fields: Object.keys(input) },
    );
    return toProfile(row);
  });
}
