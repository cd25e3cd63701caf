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
import { toContact } from "../contacts/service";
import type { Caller } from "../auth/caller";
import type { CompanyRow, ContactRow, DB, InteractionRow, TaskRow } from "../db/tables";
import { toDeal } from "../deals/service";
import { AppError, notFound } from "../errors";
import { decodeCursor, encodeCursor } from "../http/cursor";
import {
  type InteractionLinks,
  hydrateInteractions,
  interactionDetailsJson,
  toInteraction,
} from "../interactions/service";
import { type Scope, iso } from "../scope";
import { toTask } from "../tasks/service";

const RECENT_INTERACTIONS = 20;

/**
 * For each address: the contact's profile, or what can be guessed to add them. Answers in the order asked, each
 * address once in its canonical form (jorg@müller.example and jorg@xn--mller-kva.example are one answer).
 */
export async function lookupPeople(scope: Scope, values: string[]): Promise<{ results: LookupResult[] }> {
  const mailboxes = values.map((value, index) => {
    const mailbox = parseMailbox(value);
    if (!mailbox) {
      throw new AppError("invalid_request", 400, `"${value.slice(0, 80)}" is not an email address.`, {
        errors: [{ path: `query.email.${index}`, message: "not an email address" }],
      });
    }
    return mailbox;
  });
  const answer = await readLookup(scope.db, scope.caller, mailboxes);
  // Each address once, where it was first asked; one asked in several forms is suggested as last written.
  const asked = new Map(mailboxes.map((m) => [m.address, m]));

  const results: LookupResult[] = [];
  for (const [address, mailbox] of asked) {
    const contactId = answer.contactOf.get(address);
    results.push({
      email: address,
      contact: contactId ? (answer.profiles.get(contactId) ?? null) : null,
      suggestion: contactId ? null : suggestionFor(mailbox, answer),
    });
  }
  return { results };
}

/** What one lookup reads: the profiles, whose each address is, and what a suggestion for the others needs. */
interface LookupAnswer {
  profiles: Map<string, ContactProfile>;
  contactOf: Map<string, string>;
  internalDomains: string[];
  /** Companies by their (canonical) domain, for the addresses no contact has. */
  companyByDomain: Map<string, CompanyRow>;
}

// The rows arrive as JSON (one statement aggregates them), where a timestamp is ISO text: these columns are made
// Dates again so the same mappers as every other read (toContact, toDeal, ...) give the same answer.
const CONTACT_TIMES = ["created_at", "updated_at", "last_interaction_at"] as const;
const COMPANY_TIMES = ["created_at", "updated_at"] as const;
const DEAL_TIMES = ["closed_at", "created_at", "updated_at"] as const;
const TASK_TIMES = ["due_at", "done_at", "created_at", "updated_at"] as const;
const INTERACTION_TIMES = ["occurred_at", "meeting_ends_at", "created_at", "updated_at"] as const;

type JsonRow = Record<string, unknown>;
type DealJoined = Parameters<typeof toDeal>[0];

function withTimes<T>(row: JsonRow, columns: readonly string[]): T {
  const revived: JsonRow = { ...row };
  for (const column of columns) {
    const value = row[column];
    if (typeof value === "string") revived[column] = new Date(value);
  }
  return revived as T;
}

type ProfileJson = JsonRow & {
  asked: string[];
  company_json: JsonRow | null;
  owner_json: { id: string; display_name: string | null; email: string | null } | null;
  deals_json: JsonRow[];
  tasks_json: JsonRow[];
  recent_json: (JsonRow & {
    participants_json: Participant[];
    loggers_json: string[];
    links_json: InteractionLinks;
  })[];
};

/**
 * The whole lookup in one statement: the contacts found by address (with their addresses as written), each with
 * its company, owner, open deals, open tasks and latest interactions (with their participants, loggers and
 * links) aggregated as JSON; and, for the addresses no contact has, the organisation's own domains and the
 * companies at their domains. The organisation wall rides on the connection (org-wall.ts), so a lookup is one
 * round trip to the store.
 */
async function readLookup(db: Kysely<DB>, viewer: Caller, mailboxes: Mailbox[]): Promise<LookupAnswer> {
  const { orgId } = viewer;
  const addresses = [...new Set(mailboxes.map((m) => m.address))];
  // Every address's candidate domains, flat (address, domain) pairs: the statement keeps those of the addresses
  // no contact has. Free mail says nothing of a company; internal domains are known only in the answer.
  const candidateAddresses: string[] = [];
  const candidateDomains: string[] = [];
  for (const m of mailboxes) {
    const domain = domainOf(m.address);
    if (isFreeMailDomain(domain)) continue;
    for (const candidate of domainCandidates(domain)) {
      candidateAddresses.push(m.address);
      candidateDomains.push(candidate);
    }
  }
  const { rows } = await sql<{
    profiles: ProfileJson[];
    internal_domains: string[];
    companies: JsonRow[];
  }>`
    with asked as (
      select ce.address, ce.contact_id from contact_emails ce
      -- The addresses (and the candidates below) behind a subquery: a plan made for the values at hand would know
      -- how many there are, the kept one cannot, and the plan cache, finding the kept one dearer, would plan the
      -- statement anew at every lookup (15-20 ms of planning for 1-2 of work). Both now see the same unknown.
      where ce.org_id = ${orgId} and ce.address = any((select ${addresses}::text[])::text[])
    )
    select
      coalesce((select json_agg(profile) from (
        select c.*,
          array(select coalesce(e.address_as_written, e.address) from contact_emails e
            where e.contact_id = c.id order by e.position) as emails,
          array(select a.address from asked a where a.contact_id = c.id) as asked,
          (select to_json(co) from companies co where co.org_id = ${orgId} and co.id = c.company_id) as company_json,
          (select json_build_object('id', u.id, 'display_name', u.display_name, 'email', u.email)
            from users u where u.org_id = ${orgId} and u.id = c.owner_id) as owner_json,
          coalesce((select json_agg(d order by d.updated_at desc) from (
            select d.*, s.name as stage_name, s.position as stage_position, s.probability as stage_probability,
              s.kind as stage_kind,
              array(select x.contact_id from deal_contacts x where x.deal_id = d.id order by x.contact_id) as contact_ids
            from deal_contacts dc
            join deals d on d.id = dc.deal_id and d.org_id = ${orgId}
            join stages s on s.id = d.stage_id
            where dc.contact_id = c.id and s.kind = 'open'
          ) d), '[]') as deals_json,
          coalesce((select json_agg(t order by coalesce(t.due_at, 'infinity'::timestamptz)) from tasks t
            where t.org_id = ${orgId} and t.contact_id = c.id and t.done_at is null), '[]') as tasks_json,
          coalesce((select json_agg(r order by r.occurred_at desc, r.id desc) from (
            select i.*, ${interactionDetailsJson(orgId)}
            from (
              select distinct p.interaction_id, p.occurred_at
              from interaction_participants p
              -- No org_id here: the contact is this organisation's and the composite foreign key keeps its
              -- participant rows in it; filtering again would read every row instead of the index's first twenty.
              where p.contact_id = c.id
              order by p.occurred_at desc, p.interaction_id desc
              -- A literal: a parameter's limit makes the kept generic plan look dear (a tenth of the rows), and
              -- the statement would then be planned anew at every lookup.
              limit ${sql.lit(RECENT_INTERACTIONS)}
            ) latest
            join interactions i on i.id = latest.interaction_id and i.org_id = ${orgId}
          ) r), '[]') as recent_json
        -- Each contact by its key, whatever the plan kept for the statement thinks of the addresses' number: a
        -- generic plan otherwise scans the organisation's contacts for a set it cannot size.
        from (select distinct contact_id from asked) found
        cross join lateral (select * from contacts c where c.org_id = ${orgId} and c.id = found.contact_id) c
      ) profile), '[]') as profiles,
      (select o.internal_domains from organizations o where o.id = ${orgId}) as internal_domains,
      coalesce((select json_agg(co) from (
        select distinct w.domain
        from unnest((select ${candidateAddresses}::text[]), (select ${candidateDomains}::text[])) as w(address, domain)
        where not exists (select 1 from asked a where a.address = w.address)
      ) wanted
      cross join lateral (select * from companies co where co.org_id = ${orgId} and co.domain = wanted.domain) co
      ), '[]') as companies`.execute(db);
  const row = rows[0];
  if (!row) throw new Error("the lookup's statement answered no row");

  const profiles = new Map<string, ContactProfile>();
  const contactOf = new Map<string, string>();
  for (const found of row.profiles) {
    const { asked, company_json, owner_json, deals_json, tasks_json, recent_json, ...contact } = found;
    const contactRow = withTimes<ContactRow & { emails: string[] }>(contact, CONTACT_TIMES);
    for (const address of asked) contactOf.set(address, contactRow.id);
    profiles.set(contactRow.id, {
      ...toContact(contactRow),
      company: company_json ? toCompany(withTimes<CompanyRow>(company_json, COMPANY_TIMES)) : null,
      owner: owner_json
        ? { id: owner_json.id, displayName: owner_json.display_name, email: owner_json.email }
        : null,
      openDeals: deals_json.map((d) => toDeal(withTimes<DealJoined>(d, DEAL_TIMES))),
      openTasks: tasks_json.map((t) => toTask(withTimes<TaskRow>(t, TASK_TIMES))),
      recentInteractions: recent_json.map(({ participants_json, loggers_json, links_json, ...interaction }) =>
        toInteraction(
          withTimes<InteractionRow>(interaction, INTERACTION_TIMES),
          participants_json,
          loggers_json,
          viewer,
          links_json,
        ),
      ),
    });
  }
  const companyByDomain = new Map<string, CompanyRow>();
  for (const company of row.companies) {
    const companyRow = withTimes<CompanyRow>(company, COMPANY_TIMES);
    if (companyRow.domain !== null) companyByDomain.set(companyRow.domain, companyRow);
  }
  return { profiles, contactOf, internalDomains: row.internal_domains, companyByDomain };
}

/** A domain and its parents: a sender at eu.contoso.com belongs to the company at contoso.com. */
function domainCandidates(domain: string): string[] {
  const labels = domain.split(".");
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join("."));
}

function suggestionFor(mailbox: Mailbox, answer: LookupAnswer): Suggestion {
  // Canonical, as companies' domains are stored; the suggestion shows the domain as the address was written.
  const domain = domainOf(mailbox.address);
  const freeMail = isFreeMailDomain(domain);
  const internal = isWithinDomains(domain, answer.internalDomains);
  const candidates = freeMail || internal ? [] : domainCandidates(domain);
  const name = parsePersonName(mailbox.name, mailbox.written);
  const company = candidates.map((d) => answer.companyByDomain.get(d)).find((c) => c !== undefined);
  return {
    email: mailbox.written,
    displayName: name?.displayName ?? null,
    firstName: name?.firstName ?? null,
    lastName: name?.lastName ?? null,
    domain: domainOf(mailbox.written),
    freeMail,
    internal,
    company: company ? toCompany(company) : null,
  };
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
