import { type Kysely, sql } from "kysely";
import { z } from "zod";
import type { StageChange } from "../../shared/deals";
import {
  type Mailbox,
  domainOf,
  isFreeMailDomain,
  isWithinDomains,
  parseMailbox,
} from "../../shared/email-address";
import type { Participant } from "../../shared/interactions";
import type { ContactProfile, LookupResult, Suggestion, TimelineItem } from "../../shared/people";
import { parsePersonName } from "../../shared/person-name";
import { toCompany } from "../companies/service";
import { selectContacts, toContact } from "../contacts/service";
import type { Caller } from "../auth/caller";
import type { DB, InteractionRow } from "../db/tables";
import { selectDeals, toDeal } from "../deals/service";
import { AppError, notFound } from "../errors";
import { decodeCursor, encodeCursor } from "../http/cursor";
import { type InteractionLinks, hydrateInteractions, toInteraction } from "../interactions/service";
import { type Scope, iso } from "../scope";
import { toTask } from "../tasks/service";
import { internalDomainsOf } from "../organizations/service";

const RECENT_INTERACTIONS = 20;

/**
 * For each address: the contact's profile, or what can be guessed to add them. Answers in the order asked, each
 * address once in its canonical form (jorg@müller.example and jorg@xn--mller-kva.example are one answer).
 */
export async function lookupPeople(scope: Scope, values: string[]): Promise<{ results: LookupResult[] }> {
  const { orgId } = scope.caller;
  const mailboxes = values.map((value, index) => {
    const mailbox = parseMailbox(value);
    if (!mailbox) {
      throw new AppError("invalid_request", 400, `"${value.slice(0, 80)}" is not an email address.`, {
        errors: [{ path: `query.email.${index}`, message: "not an email address" }],
      });
    }
    return mailbox;
  });
  const addresses = [...new Set(mailboxes.map((m) => m.address))];

  const { profiles, contactOf } = await loadProfiles(scope.db, scope.caller, addresses);

  const unknown = mailboxes.filter((m) => !contactOf.has(m.address));
  const suggestions = unknown.length
    ? await suggest(scope.db, orgId, unknown)
    : new Map<string, Suggestion>();

  const results: LookupResult[] = [];
  const answered = new Set<string>();
  for (const { address } of mailboxes) {
    if (answered.has(address)) continue;
    answered.add(address);
    const contactId = contactOf.get(address);
    results.push({
      email: address,
      contact: contactId ? (profiles.get(contactId) ?? null) : null,
      suggestion: contactId ? null : (suggestions.get(address) ?? null),
    });
  }
  return { results };
}

/**
 * The profiles of the contacts these addresses belong to, and whose each address is, in two steps: the contacts
 * found by address (with their addresses as written), then their companies, owners, open deals, open tasks and
 * latest interactions (with the interactions' participants and loggers), five statements sent at once.
 */
async function loadProfiles(db: Kysely<DB>, viewer: Caller, addresses: string[]) {
  const { orgId } = viewer;
  const profiles = new Map<string, ContactProfile>();
  const contactOf = new Map<string, string>();
  if (addresses.length === 0) return { profiles, contactOf };
  const found = await selectContacts(db, orgId)
    .innerJoin("contact_emails as ce", (join) =>
      join.onRef("ce.contact_id", "=", "c.id").on("ce.org_id", "=", orgId),
    )
    .select("ce.address as asked")
    .where("ce.address", "in", addresses)
    .execute();
  for (const row of found) contactOf.set(row.asked, row.id);
  const contacts = dedupeById(found.map(({ asked: _, ...contact }) => contact));
  if (contacts.length === 0) return { profiles, contactOf };
  const contactIds = contacts.map((c) => c.id);
  const companyIds = [
    ...new Set(contacts.map((c) => c.company_id).filter((id): id is string => id !== null)),
  ];
  const ownerIds = [...new Set(contacts.map((c) => c.owner_id).filter((id): id is string => id !== null))];
  const [companies, owners, deals, tasks, recent] = await Promise.all([
    companyIds.length
      ? db
          .selectFrom("companies")
          .selectAll()
          .where("org_id", "=", orgId)
          .where("id", "in", companyIds)
          .execute()
      : Promise.resolve([]),
    ownerIds.length
      ? db
          .selectFrom("users")
          .select(["id", "display_name", "email"])
          .where("org_id", "=", orgId)
          .where("id", "in", ownerIds)
          .execute()
      : Promise.resolve([]),
    selectDeals(db, orgId)
      .innerJoin("deal_contacts as dc", "dc.deal_id", "d.id")
      .select("dc.contact_id as for_contact")
      .where("dc.contact_id", "in", contactIds)
      .where("s.kind", "=", "open")
      .orderBy("d.updated_at", "desc")
      .execute(),
    db
      .selectFrom("tasks")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("contact_id", "in", contactIds)
      .where("done_at", "is", null)
      .orderBy(sql`coalesce(due_at, 'infinity'::timestamptz)`)
      .execute(),
    recentInteractions(db, orgId, contactIds),
  ]);

  for (const contact of contacts) {
    const company = companies.find((c) => c.id === contact.company_id);
    const owner = owners.find((u) => u.id === contact.owner_id);
    profiles.set(contact.id, {
      ...toContact(contact),
      company: company ? toCompany(company) : null,
      owner: owner ? { id: owner.id, displayName: owner.display_name, email: owner.email } : null,
      openDeals: deals.filter((d) => d.for_contact === contact.id).map(toDeal),
      openTasks: tasks.filter((t) => t.contact_id === contact.id).map(toTask),
      recentInteractions: recent
        .filter((r) => r.contactId === contact.id)
        .map((r) => toInteraction(r.row, r.participants, r.loggedBy, viewer, r.links)),
    });
  }
  return { profiles, contactOf };
}

/**
 * The latest interactions of each contact, straight off the (contact, occurred_at) index, each with its
 * participants and loggers in the same statement (in the order hydrateInteractions gives them).
 */
async function recentInteractions(db: Kysely<DB>, orgId: string, contactIds: string[]) {
  const result = await sql<
    InteractionRow & {
      for_contact: string;
      participants_json: Participant[];
      loggers_json: string[];
      links_json: InteractionLinks;
    }
  >`
    select i.*, x.contact_id as for_contact,
      coalesce((
        select json_agg(json_build_object('address', p.address, 'name', p.name, 'contactId', p.contact_id, 'role', p.role)
          order by p.position)
        from interaction_participants p where p.org_id = ${orgId} and p.interaction_id = i.id
      ), '[]') as participants_json,
      coalesce((
        select json_agg(l.user_id order by l.logged_at)
        from interaction_loggers l where l.org_id = ${orgId} and l.interaction_id = i.id
      ), '[]') as loggers_json,
      json_build_object(
        'deals', coalesce((
          select json_agg(k.deal_id order by k.created_at, k.id) from interaction_links k
          where k.org_id = ${orgId} and k.interaction_id = i.id and k.deal_id is not null
        ), '[]'),
        'companies', coalesce((
          select json_agg(k.company_id order by k.created_at, k.id) from interaction_links k
          where k.org_id = ${orgId} and k.interaction_id = i.id and k.company_id is not null
        ), '[]'),
        'contactCompanies', coalesce((
          select json_agg(c.company_id order by p.position) from interaction_participants p
          join contacts c on c.id = p.contact_id and c.org_id = ${orgId}
          where p.org_id = ${orgId} and p.interaction_id = i.id and c.company_id is not null
        ), '[]')
      ) as links_json
    from unnest(${contactIds}::uuid[]) as x(contact_id)
    cross join lateral (
      select distinct p.interaction_id, p.occurred_at
      from interaction_participants p
      -- No org_id here: the contacts came from this organisation and the composite foreign key keeps their
      -- participant rows in it; filtering again would read every row instead of the index's first twenty.
      where p.contact_id = x.contact_id
      order by p.occurred_at desc, p.interaction_id desc
      limit ${RECENT_INTERACTIONS}
    ) latest
    join interactions i on i.id = latest.interaction_id and i.org_id = ${orgId}
    order by x.contact_id, i.occurred_at desc, i.id desc`.execute(db);
  return result.rows.map(({ for_contact, participants_json, loggers_json, links_json, ...row }) => ({
    contactId: for_contact,
    row: row as InteractionRow,
    participants: participants_json,
    loggedBy: loggers_json,
    links: links_json,
  }));
}

function dedupeById<T extends { id: string }>(rows: T[]): T[] {
  const seen = new Map<string, T>();
  for (const row of rows) seen.set(row.id, row);
  return [...seen.values()];
}

/** A domain and its parents: a sender at eu.contoso.com belongs to the company at contoso.com. */
function domainCandidates(domain: string): string[] {
  const labels = domain.split(".");
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join("."));
}

async function suggest(db: Kysely<DB>, orgId: string, mailboxes: Mailbox[]) {
  const internalDomains = await internalDomainsOf(db, orgId);
  const facts = mailboxes.map((m) => {
    // Canonical, as companies' domains are stored; the suggestion shows the domain as the address was written.
    const domain = domainOf(m.address);
    const freeMail = isFreeMailDomain(domain);
    const internal = isWithinDomains(domain, internalDomains);
    return {
      ...m,
      domain,
      freeMail,
      internal,
      candidates: freeMail || internal ? [] : domainCandidates(domain),
    };
  });
  const wanted = [...new Set(facts.flatMap((f) => f.candidates))];
  const companies = wanted.length
    ? await db
        .selectFrom("companies")
        .selectAll()
        .where("org_id", "=", orgId)
        .where("domain", "in", wanted)
        .execute()
    : [];
  const byDomain = new Map(companies.map((c) => [c.domain, c]));

  const suggestions = new Map<string, Suggestion>();
  for (const f of facts) {
    const name = parsePersonName(f.name, f.written);
    const company = f.candidates.map((d) => byDomain.get(d)).find((c) => c !== undefined);
    suggestions.set(f.address, {
      email: f.written,
      displayName: name?.displayName ?? null,
      firstName: name?.firstName ?? null,
      lastName: name?.lastName ?? null,
      domain: domainOf(f.written),
      freeMail: f.freeMail,
      internal: f.internal,
      company: company ? toCompany(company) : null,
    });
  }
  return suggestions;
}

const TimelineCursor = z.tuple([z.iso.datetime(), z.uuid()]);

/** Interactions, stage changes of the contact's deals, and tasks, newest first, in stable keyset pages. */
export async function contactTimeline(
  scope: Scope,
  contactId: string,
  query: { cursor?: string; limit: number },
) {
  const { orgId } = scope.caller;
  const contact = await scope.db
    .selectFrom("contacts")
    .select("id")
    .where("org_id", "=", orgId)
    .where("id", "=", contactId)
    .executeTakeFirst();
  if (!contact) throw notFound("The contact");
  const after = decodeCursor(query.cursor, TimelineCursor);
  const before = after ? sql`where (at, id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``;

  const entries = await sql<{ type: TimelineItem["type"]; id: string; at: Date }>`
    select type, id, at from (
      select 'interaction' as type, p.interaction_id as id, p.occurred_at as at
        from interaction_participants p where p.org_id = ${orgId} and p.contact_id = ${contactId}
      union
      select 'stage_change', sc.id, sc.changed_at
        from deal_stage_changes sc join deal_contacts dc on dc.deal_id = sc.deal_id
        where sc.org_id = ${orgId} and dc.contact_id = ${contactId}
      union
      select 'task', t.id, t.created_at from tasks t where t.org_id = ${orgId} and t.contact_id = ${contactId}
    ) entries
    ${before}
    order by at desc, id desc
    limit ${query.limit + 1}`.execute(scope.db);

  const more = entries.rows.length > query.limit;
  const page = more ? entries.rows.slice(0, query.limit) : entries.rows;
  const idsOf = (type: TimelineItem["type"]) => page.filter((e) => e.type === type).map((e) => e.id);

  const [interactionRows, stageChanges, taskRows] = await Promise.all([
    idsOf("interaction").length
      ? scope.db
          .selectFrom("interactions")
          .selectAll()
          .where("org_id", "=", orgId)
          .where("id", "in", idsOf("interaction"))
          .execute()
      : Promise.resolve([]),
    loadStageChanges(scope.db, orgId, idsOf("stage_change")),
    idsOf("task").length
      ? scope.db
          .selectFrom("tasks")
          .selectAll()
          .where("org_id", "=", orgId)
          .where("id", "in", idsOf("task"))
          .execute()
      : Promise.resolve([]),
  ]);
  const interactions = new Map(
    (await hydrateInteractions(scope.db, scope.caller, interactionRows)).map((i) => [i.id, i]),
  );
  const changes = new Map(stageChanges.map((c) => [c.id, c]));
  const tasks = new Map(taskRows.map((t) => [t.id, toTask(t)]));

  const items: TimelineItem[] = [];
  for (const entry of page) {
    const at = iso(entry.at);
    if (entry.type === "interaction") {
      const interaction = interactions.get(entry.id);
      if (interaction) items.push({ type: "interaction", at, interaction });
    } else if (entry.type === "stage_change") {
      const stageChange = changes.get(entry.id);
      if (stageChange) items.push({ type: "stage_change", at, stageChange });
    } else {
      const task = tasks.get(entry.id);
      if (task) items.push({ type: "task", at, task });
    }
  }
  const last = page.at(-1);
  return { items, nextCursor: more && last ? encodeCursor([iso(last.at), last.id]) : null };
}

/** Stage changes with their deal's and stages' names, as the timeline and a person's data export show them. */
export function selectStageChanges(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom("deal_stage_changes as sc")
    .innerJoin("deals as d", "d.id", "sc.deal_id")
    .innerJoin("stages as ts", "ts.id", "sc.to_stage_id")
    .leftJoin("stages as fs", "fs.id", "sc.from_stage_id")
    .select([
      "sc.id",
      "sc.deal_id",
      "d.name as deal_name",
      "sc.from_stage_id",
      "fs.name as from_name",
      "sc.to_stage_id",
      "ts.name as to_name",
    ])
    .select(["sc.changed_by", "sc.changed_at", "sc.source"])
    .where("sc.org_id", "=", orgId);
}

type StageChangeRow = Awaited<ReturnType<ReturnType<typeof selectStageChanges>["execute"]>>[number];

export function toStageChange(r: StageChangeRow): StageChange {
  return {
    id: r.id,
    dealId: r.deal_id,
    dealName: r.deal_name,
    fromStage: r.from_stage_id && r.from_name ? { id: r.from_stage_id, name: r.from_name } : null,
    toStage: { id: r.to_stage_id, name: r.to_name },
    changedBy: r.changed_by,
    changedAt: iso(r.changed_at),
    source: r.source,
  };
}

async function loadStageChanges(db: Kysely<DB>, orgId: string, ids: string[]): Promise<StageChange[]> {
  if (ids.length === 0) return [];
  const rows = await selectStageChanges(db, orgId).where("sc.id", "in", ids).execute();
  return rows.map(toStageChange);
}
