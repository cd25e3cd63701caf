import { sql } from "kysely";
import type { StageChange } from "../../shared/deals";
import { PERSON_DATA_FORMAT, type PersonDataExport } from "../../shared/person-data";
import { toCompany } from "../companies/service";
import { getContact } from "../contacts/service";
import { selectDeals, toDeal } from "../deals/service";
import { hydrateInteractions } from "../interactions/service";
import { selectStageChanges, toStageChange } from "../people/service";
import { type Scope, iso } from "../scope";
import { toTask } from "../tasks/service";
import { toRating } from "../ratings/service";
import { toLead } from "../web-forms/service";

const DESCRIPTION: Record<string, string> = {
  contact:
    "The person as the organisation keeps them: names, title, email addresses (the first is the primary one), phones, lifecycle stage, tags, owner and custom fields.",
  customFields:
    "The contact's custom field values, each with the label and type the organisation gave the field.",
  company: "The company the contact is linked to, if any.",
  deals: "Deals the contact is on, each with its pipeline stage now.",
  stageChanges: "The stage history of those deals: from which stage to which, who moved it and when.",
  tasks: "Follow-up tasks about the contact.",
  interactions:
    "Emails, calls, meetings, notes and visits the contact took part in, newest first, with the stored text (for emails a plain-text excerpt) and every participant.",
  leads:
    "What the person sent through the organisation's web forms: the form, the page, its campaign parameters, the consent text they agreed to and the values as they sent them.",
  ratings:
    "The person's answers to the organisation's surveys: the kind (NPS 0–10, CSAT 1–5), the score, the comment, the language and when they answered.",
  auditEvents:
    "Changes recorded in the audit trail about the contact, its tasks and its interactions: who did what and when.",
  users: "The organisation's users the document names (owners, assignees, who logged or changed something).",
};

/**
 * Everything Rapport holds about one contact, read in one snapshot (a repeatable-read transaction), so the parts
 * agree with each other even while colleagues keep working.
 */
export async function exportPersonData(scope: Scope, contactId: string): Promise<PersonDataExport> {
  return scope.db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (db) => {
      const { orgId, userId } = scope.caller;
      const contact = await getContact({ ...scope, db }, contactId);
      const [organization, definitions, companyRow, dealRows, taskRows, interactionRows] = await Promise.all([
        db
          .selectFrom("organizations")
          .select(["id", "name"])
          .where("id", "=", orgId)
          .executeTakeFirstOrThrow(),
        db
          .selectFrom("custom_field_definitions")
          .select(["key", "label", "type"])
          .where("org_id", "=", orgId)
          .where("entity", "=", "contact")
          .execute(),
        contact.companyId
          ? db
              .selectFrom("companies")
              .selectAll()
              .where("org_id", "=", orgId)
              .where("id", "=", contact.companyId)
              .executeTakeFirst()
          : undefined,
        selectDeals(db, orgId)
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom("deal_contacts as dc")
                .select(sql`1`.as("one"))
                .whereRef("dc.deal_id", "=", "d.id")
                .where("dc.contact_id", "=", contactId),
            ),
          )
          .orderBy("d.created_at")
          .orderBy("d.id")
          .execute(),
        db
          .selectFrom("tasks")
          .selectAll()
          .where("org_id", "=", orgId)
          .where("contact_id", "=", contactId)
          .orderBy("created_at")
          .orderBy("id")
          .execute(),
        db
          .selectFrom("interactions as i")
          .selectAll("i")
          .where("i.org_id", "=", orgId)
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom("interaction_participants as p")
                .select(sql`1`.as("one"))
                .whereRef("p.interaction_id", "=", "i.id")
                .where("p.contact_id", "=", contactId),
            ),
          )
          .orderBy("i.occurred_at", "desc")
          .orderBy("i.id", "desc")
          .execute(),
      ]);
      const dealIds = dealRows.map((d) => d.id);
      const leadRows = await db
        .selectFrom("leads")
        .selectAll()
        .where("org_id", "=", orgId)
        .where("contact_id", "=", contactId)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .execute();
      const ratingRows = await db
        .selectFrom("ratings")
        .select(["id", "contact_id", "kind", "score", "comment", "language", "answered_at"])
        .where("org_id", "=", orgId)
        .where("contact_id", "=", contactId)
        .orderBy("answered_at", "desc")
        .orderBy("id", "desc")
        .execute();
      const aboutIds = [
        contactId,
        ...taskRows.map((t) => t.id),
        ...interactionRows.map((i) => i.id),
        ...leadRows.map((l) => l.id),
      ];
      const [stageChanges, interactions, auditRows] = await Promise.all([
        stageChangesOf(scope, db, dealIds),
        hydrateInteractions(db, scope.caller, interactionRows),
        db
          .selectFrom("audit_events")
          .select(["id", "at", "action", "entity_type", "entity_id", "actor_id", "details"])
          .where("org_id", "=", orgId)
          .where(sql<boolean>`entity_id = any(${aboutIds}::uuid[])`)
          .orderBy("at")
          .orderBy("id")
          .execute(),
      ]);
      const deals = dealRows.map(toDeal);
      const tasks = taskRows.map(toTask);
      const company = companyRow ? toCompany(companyRow) : null;
      const definitionOf = new Map(definitions.map((d) => [d.key, d]));

      const named = new Set<string>([userId]);
      const name = (id: string | null) => {
        if (id !== null) named.add(id);
      };
      name(contact.ownerId);
      name(company?.ownerId ?? null);
      deals.forEach((d) => name(d.ownerId));
      stageChanges.forEach((c) => name(c.changedBy));
      tasks.forEach((t) => [t.assigneeId, t.createdBy].forEach(name));
      interactions.forEach((i) => i.loggedBy.forEach(name));
      auditRows.forEach((e) => name(e.actor_id));
      leadRows.forEach((l) => name(l.owner_id));
      const users = await db
        .selectFrom("users")
        .select(["id", "display_name", "email"])
        .where("org_id", "=", orgId)
        .where(sql<boolean>`id = any(${[...named]}::uuid[])`)
        .orderBy("id")
        .execute();
      const toUser = (u: (typeof users)[number]) => ({
        id: u.id,
        displayName: u.display_name,
        email: u.email,
      });

      return {
        format: PERSON_DATA_FORMAT,
        description: DESCRIPTION,
        exportedAt: new Date().toISOString(),
        exportedBy: toUser(
          users.find((u) => u.id === userId) ?? { id: userId, display_name: null, email: null },
        ),
        organization,
        contact,
        customFields: Object.entries(contact.customFields).map(([key, value]) => {
          const definition = definitionOf.get(key);
          return { key, label: definition?.label ?? null, type: definition?.type ?? null, value };
        }),
        company,
        deals,
        stageChanges,
        tasks,
        interactions,
        leads: leadRows.map(toLead),
        ratings: ratingRows.map(toRating),
        auditEvents: auditRows.map((e) => ({
          id: e.id,
          at: iso(e.at),
          action: e.action,
          entityType: e.entity_type,
          entityId: e.entity_id,
          actorId: e.actor_id,
          details: e.details,
        })),
        users: users.map(toUser),
      };
    });
}

async function stageChangesOf(scope: Scope, db: Scope["db"], dealIds: string[]): Promise<StageChange[]> {
  if (dealIds.length === 0) return [];
  const rows = await selectStageChanges(db, scope.caller.orgId)
    .where(sql<boolean>`sc.deal_id = any(${dealIds}::uuid[])`)
    .orderBy("sc.changed_at")
    .orderBy("sc.id")
    .execute();
  return rows.map(toStageChange);
}

export const personDataFilename = (contactId: string) => `person-data-${contactId}.json`;
