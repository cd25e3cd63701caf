// GET /people/lookup's contact profile as one hand-written statement: the bench compares the API's answer and
// time with it (bench.ts), and the load bench's baseline server answers with it (bench/baseline-server.ts).
import { type RawBuilder, sql } from "kysely";

/** Whose lookup: the organisation, and the user an email's Rapport key shows to. */
export interface Viewer {
  orgId: string;
  userId: string;
}

const iso = (column: string) =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The contact profile of GET /people/lookup for one known address, built by the database in one round trip:
 * the lower bound of what that answer can cost on this store. Same fields, order and limits as the service, and
 * the same view of them: addresses and domains as written, custom fields, an email's Rapport key to its owner only.
 */
export function profileQuery(viewer: Viewer, address: string): RawBuilder<{ profile: unknown }> {
  const { orgId, userId } = viewer;
  return sql<{ profile: unknown }>`
    select json_build_object(
      'id', c.id, 'displayName', c.display_name, 'firstName', c.first_name, 'lastName', c.last_name, 'title', c.title,
      'emails', emails.list, 'phones', c.phones, 'companyId', c.company_id, 'lifecycleStage', c.lifecycle_stage,
      'tags', c.tags, 'ownerId', c.owner_id, 'source', c.source, 'customFields', c.custom_fields,
      'language', c.language,
      'birthday', case when c.birthday_day is not null and c.birthday_month is not null
        then json_build_object('day', c.birthday_day, 'month', c.birthday_month, 'year', c.birthday_year) end,
      'noAutomatedMail', c.no_automated_mail, 'noMarketing', c.no_marketing, 'country', c.country,
      'createdAt', ${iso("c.created_at")}, 'updatedAt', ${iso("c.updated_at")}, 'version', c.version,
      'company', company.obj, 'owner', owner.obj, 'openDeals', deals.list, 'openTasks', tasks.list, 'recentInteractions', recent.list
    ) as profile
    from contact_emails ce
    join contacts c on c.org_id = ce.org_id and c.id = ce.contact_id
    cross join lateral (
      select coalesce(json_agg(coalesce(e.address_as_written, e.address) order by e.position), '[]') as list
      from contact_emails e where e.contact_id = c.id
    ) emails
    left join lateral (
      select json_build_object(
        'id', co.id, 'name', co.name, 'domain', coalesce(co.domain_as_written, co.domain), 'phone', co.phone,
        'website', co.website, 'address', co.address, 'ownerId', co.owner_id, 'customFields', co.custom_fields, 'createdAt', ${iso("co.created_at")}, 'updatedAt', ${iso("co.updated_at")}, 'version', co.version
      ) as obj
      from companies co where co.org_id = c.org_id and co.id = c.company_id
    ) company on true
    left join lateral (
      select json_build_object('id', u.id, 'displayName', u.display_name, 'email', u.email) as obj
      from users u where u.org_id = c.org_id and u.id = c.owner_id
    ) owner on true
    cross join lateral (
      select coalesce(json_agg(json_build_object(
        'id', d.id, 'name', d.name, 'amount', d.amount, 'currency', d.currency, 'expectedCloseDate', d.expected_close_date,
        'companyId', d.company_id,
        'contactIds', (select coalesce(json_agg(x.contact_id order by x.contact_id), '[]') from deal_contacts x where x.deal_id = d.id),
        'ownerId', d.owner_id, 'pipelineId', d.pipeline_id, 'stageId', d.stage_id, 'status', s.kind,
        'closedAt', ${iso("d.closed_at")}, 'customFields', d.custom_fields, 'createdAt', ${iso("d.created_at")}, 'updatedAt', ${iso("d.updated_at")},
        'version', d.version,
        'stage', json_build_object(
          'id', s.id, 'pipelineId', s.pipeline_id, 'name', s.name, 'position', s.position, 'probability', s.probability,
          'kind', s.kind)
      ) order by d.updated_at desc), '[]') as list
      from deal_contacts dc
      join deals d on d.org_id = dc.org_id and d.id = dc.deal_id
      join stages s on s.org_id = d.org_id and s.id = d.stage_id
      where dc.contact_id = c.id and dc.org_id = c.org_id and s.kind = 'open'
    ) deals
    cross join lateral (
      select coalesce(json_agg(json_build_object(
        'id', t.id, 'title', t.title, 'notes', t.notes, 'dueAt', ${iso("t.due_at")}, 'done', t.done_at is not null,
        'doneAt', ${iso("t.done_at")}, 'assigneeId', t.assignee_id, 'contactId', t.contact_id, 'dealId', t.deal_id,
        'emailId', t.interaction_id,
        'createdBy', t.created_by, 'createdAt', ${iso("t.created_at")}, 'updatedAt', ${iso("t.updated_at")}, 'version', t.version
      ) order by coalesce(t.due_at, 'infinity'::timestamptz)), '[]') as list
      from tasks t where t.org_id = c.org_id and t.contact_id = c.id and t.done_at is null
    ) tasks
    cross join lateral (
      select coalesce(json_agg(json_build_object(
        'id', i.id, 'kind', i.kind, 'direction', i.direction, 'occurredAt', ${iso("i.occurred_at")}, 'subject', i.subject,
        'body', i.body, 'outcome', i.outcome, 'internetMessageId', i.internet_message_id,
        'rapportKey', case when i.rapport_key_owner = ${userId}::uuid then i.rapport_key end, 'conversationId', i.conversation_id,
        'source', i.source, 'dealId', i.deal_id, 'dealIds', linked.deals, 'companies', linked.companies,
        'loggedBy', loggers.list, 'participants', participants.list,
        'meeting', case when i.kind = 'meeting' and i.meeting_ends_at is not null then json_build_object(
          'startsAt', ${iso("i.occurred_at")}, 'endsAt', ${iso("i.meeting_ends_at")}, 'location', i.meeting_location,
          'onlineUrl', i.meeting_online_url, 'iCalUId', i.meeting_ical_uid,
          'cancelled', coalesce(i.meeting_cancelled, false), 'outcome', i.meeting_outcome) end,
        'createdAt', ${iso("i.created_at")}, 'updatedAt', ${iso("i.updated_at")}, 'version', i.version
      ) order by i.occurred_at desc, i.id desc), '[]') as list
      from (
        select distinct p.interaction_id, p.occurred_at
        from interaction_participants p
        where p.contact_id = c.id and p.org_id = c.org_id
        order by p.occurred_at desc, p.interaction_id desc
        limit 20
      ) latest
      join interactions i on i.org_id = c.org_id and i.id = latest.interaction_id
      cross join lateral (
        select coalesce(json_agg(l.user_id order by l.logged_at), '[]') as list
        from interaction_loggers l where l.interaction_id = i.id
      ) loggers
      cross join lateral (
        select coalesce(json_agg(json_build_object(
          'address', p.address, 'name', p.name, 'contactId', p.contact_id, 'role', p.role) order by p.position), '[]') as list
        from interaction_participants p where p.interaction_id = i.id
      ) participants
      -- Its deals (the primary first, then those linked, each once) and companies (linked first, then its
      -- participants' contacts' companies not linked, each once), in the order the API gives them.
      cross join lateral (
        select
          (select coalesce(json_agg(d.id order by d.rank), '[]') from (
            select id, min(rank) as rank from (
              select i.deal_id as id, 0::bigint as rank where i.deal_id is not null
              union all
              select k.deal_id, row_number() over (order by k.created_at, k.id)
              from interaction_links k where k.interaction_id = i.id and k.deal_id is not null
            ) ranked group by id
          ) d) as deals,
          (select coalesce(json_agg(json_build_object('id', co.id, 'via', case when co.rank[1] = 0 then 'link' else 'contact' end)
            order by co.rank), '[]') from (
            select id, min(rank) as rank from (
              select k.company_id as id, array[0, row_number() over (order by k.created_at, k.id)]::bigint[] as rank
              from interaction_links k where k.interaction_id = i.id and k.company_id is not null
              union all
              select pc.company_id, array[1, p.position]::bigint[]
              from interaction_participants p join contacts pc on pc.id = p.contact_id
              where p.interaction_id = i.id and pc.company_id is not null
            ) ranked group by id
          ) co) as companies
      ) linked
    ) recent
    where ce.org_id = ${orgId}::uuid and ce.address = ${address}`;
}
