import { type Kysely, sql } from "kysely";

// What the dashboard and stage conversion still recomputed on every request after 0025 (issue 20), now kept as
// the history is written. With 100,000 deals the stays alone were not enough: stage conversion sorted 283,000
// (stage, deal) pairs for its distinct counts and every ended stay for its medians (PGlite p95 3.7 s), and the
// dashboard counted each stage's ended stays and probed three tables for each of a rep's 6,700 open deals.
//
// - deal_stage_stays.prev_entered_at: when the deal entered the same stage before this stay (null: its first
//   entry). "Deals that entered a stage" is then a count of first entries, not a distinct count.
// - deal_stage_flows: per stage and next stage (null: not left yet), how many stays and how many first entries.
//   Stage conversion over the whole history adds them up per stage; moving on is judged from the stages as they
//   are now at read time (an admin's reorder shows at once), and a deal that moved on from one stage twice is
//   counted once by a correction read from the repeated stays alone (the partial index deal_stage_stays_repeat).
// - deal_stage_lengths: per stage and whole day of length (floor(seconds / 86400)), how many ended stays and the
//   shortest and longest of them. A median is found by adding up the days to the one holding the middle rank,
//   then taking that value from the stays' (stage, seconds) index within the day: at once when the day's stays
//   are all as long (shortest = longest), otherwise an index range of that one day. Exact, the same float8
//   arithmetic as percentile_cont (stage_median_stay below).
// - interaction_weeks: interaction_days (0025) added up per ISO week (Monday, UTC), kept by the same function in
//   the same statement. Activity by rep reads the weeks wholly inside the period from here, and from the days
//   only the days of a week the period cuts: 7 times fewer rows over the whole history (36,550 days, 5,250 weeks).
// - deals.last_activity_at: the latest of the deal's interactions' occurred_at, its stage changes' changed_at
//   and its tasks' done_at (null: none), so the dashboard's "no recent activity" reads a column.
//
// The stays' summaries are kept inside refresh_deal_stage_stays (0025), which every write of a deal's history
// already runs in the writer's statement: what the deal's old stays added is taken away and what its new ones
// add is put back, in one upsert in key order (two writers then lock the same counters in the same order). The
// last activity is read again for the deals touched by statement-level triggers on interactions and tasks and by
// that same refresh for stage changes: so every writer (routes, sync, imports, demo data, erasure, cascades,
// plain SQL) keeps them. rebuild_report_rollups makes them all again from history; this migration runs it.
const ZERO = sql.raw("'00000000-0000-0000-0000-000000000000'::uuid");

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table deal_stage_stays add column prev_entered_at timestamptz(3);
    create index deal_stage_stays_repeat on deal_stage_stays (org_id, stage_id, deal_id)
      where prev_entered_at is not null;

    create table deal_stage_flows (
      org_id uuid not null references organizations(id) on delete cascade,
      stage_id uuid not null,
      -- Where the stays went next; null: the stays not ended yet.
      next_stage_id uuid,
      stays integer not null,
      -- Of those, the deals' first entries into stage_id.
      first_entries integer not null
    );
    create unique index deal_stage_flows_key on deal_stage_flows (org_id, stage_id, (coalesce(next_stage_id, ${ZERO})));
    create index deal_stage_flows_emptied on deal_stage_flows (org_id) where stays = 0;

    create table deal_stage_lengths (
      org_id uuid not null references organizations(id) on delete cascade,
      stage_id uuid not null,
      -- floor(seconds / 86400) of the ended stays counted here.
      day bigint not null,
      stays integer not null,
      shortest float8,
      longest float8,
      primary key (org_id, stage_id, day)
    );
    create index deal_stage_lengths_emptied on deal_stage_lengths (org_id) where stays = 0;

    create table interaction_weeks (
      org_id uuid not null references organizations(id) on delete cascade,
      logged_by uuid,
      -- The Monday (UTC) the week starts.
      week date not null,
      kind text not null,
      interactions integer not null
    );
    create unique index interaction_weeks_key on interaction_weeks
      (org_id, week, kind, (coalesce(logged_by, ${ZERO})));
    create index interaction_weeks_user on interaction_weeks (org_id, logged_by, week);
    create index interaction_weeks_emptied on interaction_weeks (org_id) where interactions = 0;

    -- 0025's counter of days, now keeping the weeks as well, in the same order (weeks after days, each in key
    -- order) for every writer.
    create or replace function add_interaction_days(delta jsonb) returns void language plpgsql as $$
    begin
      insert into interaction_days as d (org_id, logged_by, day, kind, interactions)
      select (e->>'org_id')::uuid, (e->>'logged_by')::uuid, (e->>'day')::date, e->>'kind', (e->>'n')::int
      from jsonb_array_elements(delta) e
      order by 1, 3, 4, 2
      on conflict (org_id, day, kind, (coalesce(logged_by, '00000000-0000-0000-0000-000000000000'::uuid)))
        do update set interactions = d.interactions + excluded.interactions;
      delete from interaction_days
      where interactions = 0
        and org_id in (select distinct (e->>'org_id')::uuid from jsonb_array_elements(delta) e);
      insert into interaction_weeks as w (org_id, logged_by, week, kind, interactions)
      select (e->>'org_id')::uuid, (e->>'logged_by')::uuid, date_trunc('week', (e->>'day')::timestamp)::date,
        e->>'kind', sum((e->>'n')::int)
      from jsonb_array_elements(delta) e
      group by 1, 2, 3, 4
      having sum((e->>'n')::int) <> 0
      order by 1, 3, 4, 2
      on conflict (org_id, week, kind, (coalesce(logged_by, ${ZERO})))
        do update set interactions = w.interactions + excluded.interactions;
      delete from interaction_weeks
      where interactions = 0
        and org_id in (select distinct (e->>'org_id')::uuid from jsonb_array_elements(delta) e);
    end $$;

    alter table deals add column last_activity_at timestamptz(3);
    -- A rep's deals, with what the dashboard reads of each of them (its pipeline sums, the rules of deals needing
    -- attention), answered from the index alone: the owner's 10,000 of 100,000 deals lie on nearly every page of
    -- the table, which a sequential scan read whole on each request (about 340 ms on PGlite).
    create index deals_owner on deals (org_id, owner_id, stage_id)
      include (id, amount, currency, expected_close_date, created_at, last_activity_at);

    -- Takes away what the old stays added and adds what the new ones add, in key order; every length day touched
    -- has its shortest and longest read again from the stays' index (two probes), since a stay gone may have been
    -- either; counters emptied are dropped.
    create function apply_deal_stay_summaries(before jsonb, after jsonb) returns void language plpgsql as $$
    begin
      insert into deal_stage_flows as f (org_id, stage_id, next_stage_id, stays, first_entries)
      select org_id, stage_id, next_stage_id, sum(stays), sum(first_entries)
      from (
        select (e->>'org_id')::uuid as org_id, (e->>'stage_id')::uuid as stage_id,
          (e->>'next_stage_id')::uuid as next_stage_id,
          -(e->>'stays')::int as stays, -(e->>'first_entries')::int as first_entries
        from jsonb_array_elements(before->'flows') e
        union all
        select (e->>'org_id')::uuid, (e->>'stage_id')::uuid, (e->>'next_stage_id')::uuid,
          (e->>'stays')::int, (e->>'first_entries')::int
        from jsonb_array_elements(after->'flows') e
      ) delta
      group by 1, 2, 3
      having sum(stays) <> 0 or sum(first_entries) <> 0
      order by 1, 2, coalesce(next_stage_id, ${ZERO})
      on conflict (org_id, stage_id, (coalesce(next_stage_id, ${ZERO})))
        do update set stays = f.stays + excluded.stays, first_entries = f.first_entries + excluded.first_entries;

      insert into deal_stage_lengths as l (org_id, stage_id, day, stays)
      select org_id, stage_id, day, sum(stays)
      from (
        select (e->>'org_id')::uuid as org_id, (e->>'stage_id')::uuid as stage_id, (e->>'day')::bigint as day,
          -(e->>'stays')::int as stays
        from jsonb_array_elements(before->'lengths') e
        union all
        select (e->>'org_id')::uuid, (e->>'stage_id')::uuid, (e->>'day')::bigint, (e->>'stays')::int
        from jsonb_array_elements(after->'lengths') e
      ) delta
      group by 1, 2, 3
      order by 1, 2, 3
      on conflict (org_id, stage_id, day) do update set stays = l.stays + excluded.stays;

      -- A statement of its own: it must see the rows the upsert just made.
      update deal_stage_lengths l set
        shortest = (select v.seconds from deal_stage_stays v
          where v.org_id = l.org_id and v.stage_id = l.stage_id and v.seconds is not null
            and v.seconds >= (l.day - 1) * 86400.0 and v.seconds < (l.day + 2) * 86400.0
            and floor(v.seconds / 86400) = l.day
          order by v.seconds limit 1),
        longest = (select v.seconds from deal_stage_stays v
          where v.org_id = l.org_id and v.stage_id = l.stage_id and v.seconds is not null
            and v.seconds >= (l.day - 1) * 86400.0 and v.seconds < (l.day + 2) * 86400.0
            and floor(v.seconds / 86400) = l.day
          order by v.seconds desc limit 1)
      from (
        select (e->>'org_id')::uuid as org_id, (e->>'stage_id')::uuid as stage_id, (e->>'day')::bigint as day
        from jsonb_array_elements(before->'lengths') e
        union
        select (e->>'org_id')::uuid, (e->>'stage_id')::uuid, (e->>'day')::bigint
        from jsonb_array_elements(after->'lengths') e
      ) touched
      where l.org_id = touched.org_id and l.stage_id = touched.stage_id and l.day = touched.day;

      delete from deal_stage_flows
      where stays = 0 and org_id in (
        select (e->>'org_id')::uuid from jsonb_array_elements(before->'flows') e
        union select (e->>'org_id')::uuid from jsonb_array_elements(after->'flows') e);
      delete from deal_stage_lengths
      where stays = 0 and org_id in (
        select (e->>'org_id')::uuid from jsonb_array_elements(before->'lengths') e
        union select (e->>'org_id')::uuid from jsonb_array_elements(after->'lengths') e);
    end $$;

    -- The latest activity of these deals read again (three index probes each), after locking them in id order
    -- (NO KEY UPDATE, as 0025 and 0026 do, for the same reasons); a deal is only written when its value changes.
    -- An interaction is linked to a deal by interactions.deal_id.
    create function refresh_deal_last_activity(deal_ids uuid[]) returns void language plpgsql as $$
    begin
      if cardinality(deal_ids) = 0 then
        return;
      end if;
      perform 1 from deals d join unnest(deal_ids) as touched(id) on d.id = touched.id
        order by d.id for no key update of d;
      update deals d set last_activity_at = latest.at
      from (
        select d2.id, greatest(
          (select max(i.occurred_at) from interactions i where i.org_id = d2.org_id and i.deal_id = d2.id),
          (select max(c.changed_at) from deal_stage_changes c where c.deal_id = d2.id),
          (select max(t.done_at) from tasks t where t.org_id = d2.org_id and t.deal_id = d2.id)
        ) as at
        from deals d2 join unnest(deal_ids) as touched(id) on d2.id = touched.id
      ) latest
      where d.id = latest.id and d.last_activity_at is distinct from latest.at;
    end $$;

    -- 0025's refresh, now also keeping prev_entered_at, the two summaries and the deals' last activity.
    create or replace function refresh_deal_stage_stays(deal_ids uuid[]) returns void language plpgsql as $$
    declare
      before jsonb;
      after jsonb;
    begin
      perform 1 from deals d join unnest(deal_ids) as touched(id) on d.id = touched.id order by d.id for no key update of d;
      with gone as (
        delete from deal_stage_stays s using unnest(deal_ids) as touched(id) where s.deal_id = touched.id
        returning s.org_id, s.stage_id, s.next_stage_id, s.prev_entered_at, s.seconds
      )
      select jsonb_build_object(
        'flows', (select coalesce(jsonb_agg(f), '[]') from (
          select org_id, stage_id, next_stage_id, count(*) as stays,
            count(*) filter (where prev_entered_at is null) as first_entries
          from gone group by 1, 2, 3) f),
        'lengths', (select coalesce(jsonb_agg(l), '[]') from (
          select org_id, stage_id, floor(seconds / 86400)::bigint as day, count(*) as stays
          from gone where seconds is not null group by 1, 2, 3) l))
      into before;
      with made as (
        insert into deal_stage_stays
          (change_id, org_id, deal_id, stage_id, entered_at, left_at, next_stage_id, seconds, prev_entered_at)
        select c.id, c.org_id, c.deal_id, c.to_stage_id, c.changed_at,
          lead(c.changed_at) over deal_history,
          lead(c.to_stage_id) over deal_history,
          extract(epoch from lead(c.changed_at) over deal_history - c.changed_at)::float8,
          lag(c.changed_at) over (partition by c.deal_id, c.to_stage_id order by c.changed_at, c.id)
        from deal_stage_changes c
        join unnest(deal_ids) as touched(id) on c.deal_id = touched.id
        window deal_history as (partition by c.deal_id order by c.changed_at, c.id)
        returning org_id, stage_id, next_stage_id, prev_entered_at, seconds
      )
      select jsonb_build_object(
        'flows', (select coalesce(jsonb_agg(f), '[]') from (
          select org_id, stage_id, next_stage_id, count(*) as stays,
            count(*) filter (where prev_entered_at is null) as first_entries
          from made group by 1, 2, 3) f),
        'lengths', (select coalesce(jsonb_agg(l), '[]') from (
          select org_id, stage_id, floor(seconds / 86400)::bigint as day, count(*) as stays
          from made where seconds is not null group by 1, 2, 3) l))
      into after;
      perform apply_deal_stay_summaries(before, after);
      perform refresh_deal_last_activity(deal_ids);
    end $$;

    -- The value at a 0-based rank of a stage's ended stays in length order: the day holding it from the counters,
    -- then the value from that day's stays.
    create function stage_stay_at(org uuid, stage uuid, rank bigint) returns float8 language sql stable as $$
      select case when d.shortest = d.longest then d.shortest else (
        select v.seconds from deal_stage_stays v
        where v.org_id = org and v.stage_id = stage and v.seconds is not null
          and v.seconds >= d.shortest and v.seconds <= d.longest
        order by v.seconds offset rank - d.before limit 1) end
      from (
        select l.shortest, l.longest, l.stays,
          coalesce(sum(l.stays) over (order by l.day rows between unbounded preceding and 1 preceding), 0) as before
        from deal_stage_lengths l where l.org_id = org and l.stage_id = stage
      ) d
      where rank >= d.before and rank < d.before + d.stays
    $$;

    -- percentile_cont(0.5) of a stage's ended stays' seconds, the same float8 arithmetic (the middle one of an odd
    -- count; lo + (hi - lo) * 0.5 of an even one); null with fewer than at_least of them.
    create function stage_median_stay(org uuid, stage uuid, at_least integer) returns float8 language plpgsql stable as $$
    declare
      n bigint;
      lo float8;
      hi float8;
    begin
      select sum(stays) into n from deal_stage_lengths where org_id = org and stage_id = stage;
      if n is null or n = 0 or n < at_least then
        return null;
      end if;
      lo := stage_stay_at(org, stage, (n - 1) / 2);
      if n % 2 = 1 then
        return lo;
      end if;
      hi := stage_stay_at(org, stage, n / 2);
      return lo + (hi - lo) * 0.5::float8;
    end $$;

    -- Interactions and tasks: the deals whose (deal, time) pairs a statement changed.
    create function deal_activity_after_interactions() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform refresh_deal_last_activity(array(select distinct deal_id from new_rows where deal_id is not null));
      elsif tg_op = 'DELETE' then
        perform refresh_deal_last_activity(array(select distinct deal_id from old_rows where deal_id is not null));
      else
        perform refresh_deal_last_activity(array(
          select deal_id from (
            (select deal_id, occurred_at from old_rows except all select deal_id, occurred_at from new_rows)
            union all
            (select deal_id, occurred_at from new_rows except all select deal_id, occurred_at from old_rows)
          ) changed
          where deal_id is not null
          group by deal_id));
      end if;
      return null;
    end $$;
    create function deal_activity_after_tasks() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform refresh_deal_last_activity(array(
          select distinct deal_id from new_rows where deal_id is not null and done_at is not null));
      elsif tg_op = 'DELETE' then
        perform refresh_deal_last_activity(array(
          select distinct deal_id from old_rows where deal_id is not null and done_at is not null));
      else
        perform refresh_deal_last_activity(array(
          select deal_id from (
            (select deal_id, done_at from old_rows where done_at is not null
              except all select deal_id, done_at from new_rows where done_at is not null)
            union all
            (select deal_id, done_at from new_rows where done_at is not null
              except all select deal_id, done_at from old_rows where done_at is not null)
          ) changed
          where deal_id is not null
          group by deal_id));
      end if;
      return null;
    end $$;
    create trigger deal_activity_insert after insert on interactions
      referencing new table as new_rows for each statement execute function deal_activity_after_interactions();
    create trigger deal_activity_update after update on interactions
      referencing old table as old_rows new table as new_rows
      for each statement execute function deal_activity_after_interactions();
    create trigger deal_activity_delete after delete on interactions
      referencing old table as old_rows for each statement execute function deal_activity_after_interactions();
    create trigger deal_activity_insert after insert on tasks
      referencing new table as new_rows for each statement execute function deal_activity_after_tasks();
    create trigger deal_activity_update after update on tasks
      referencing old table as old_rows new table as new_rows
      for each statement execute function deal_activity_after_tasks();
    create trigger deal_activity_delete after delete on tasks
      referencing old table as old_rows for each statement execute function deal_activity_after_tasks();

    -- 0026's rebuild, clearing this migration's summaries before the stays are made again (the refresh adds what
    -- the new stays add; it finds no old ones to take away).
    create or replace function rebuild_report_rollups(org uuid) returns void language plpgsql as $$
    begin
      delete from deal_stage_flows where org is null or org_id = org;
      delete from deal_stage_lengths where org is null or org_id = org;
      delete from deal_stage_stays where org is null or org_id = org;
      perform refresh_deal_stage_stays(array(select id from deals where org is null or org_id = org));
      delete from interaction_days where org is null or org_id = org;
      insert into interaction_days (org_id, logged_by, day, kind, interactions)
      select org_id, logged_by, (occurred_at at time zone 'UTC')::date, kind, count(*)
      from interactions
      where org is null or org_id = org
      group by 1, 2, 3, 4;
      delete from interaction_weeks where org is null or org_id = org;
      insert into interaction_weeks (org_id, logged_by, week, kind, interactions)
      select org_id, logged_by, date_trunc('week', day::timestamp)::date, kind, sum(interactions)
      from interaction_days
      where org is null or org_id = org
      group by 1, 2, 3, 4;
      perform rebuild_contact_last_interactions(org);
    end $$;

    select rebuild_report_rollups(null);
  `.execute(db);
  for (const table of ["deal_stage_flows", "deal_stage_lengths", "interaction_weeks"])
    await sql`
      alter table ${sql.table(table)} enable row level security;
      create policy org_wall on ${sql.table(table)} to rapport_app
        using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
        with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
      grant select, insert, update, delete on ${sql.table(table)} to rapport_app;
    `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function rebuild_report_rollups(org uuid) returns void language plpgsql as $$
    begin
      delete from deal_stage_stays where org is null or org_id = org;
      perform refresh_deal_stage_stays(array(select id from deals where org is null or org_id = org));
      delete from interaction_days where org is null or org_id = org;
      insert into interaction_days (org_id, logged_by, day, kind, interactions)
      select org_id, logged_by, (occurred_at at time zone 'UTC')::date, kind, count(*)
      from interactions
      where org is null or org_id = org
      group by 1, 2, 3, 4;
      perform rebuild_contact_last_interactions(org);
    end $$;
    create or replace function refresh_deal_stage_stays(deal_ids uuid[]) returns void language plpgsql as $$
    begin
      perform 1 from deals d join unnest(deal_ids) as touched(id) on d.id = touched.id order by d.id for no key update of d;
      delete from deal_stage_stays s using unnest(deal_ids) as touched(id) where s.deal_id = touched.id;
      insert into deal_stage_stays (change_id, org_id, deal_id, stage_id, entered_at, left_at, next_stage_id, seconds)
      select c.id, c.org_id, c.deal_id, c.to_stage_id, c.changed_at,
        lead(c.changed_at) over deal_history,
        lead(c.to_stage_id) over deal_history,
        extract(epoch from lead(c.changed_at) over deal_history - c.changed_at)::float8
      from deal_stage_changes c
      join unnest(deal_ids) as touched(id) on c.deal_id = touched.id
      window deal_history as (partition by c.deal_id order by c.changed_at, c.id);
    end $$;
    create or replace function add_interaction_days(delta jsonb) returns void language plpgsql as $$
    begin
      insert into interaction_days as d (org_id, logged_by, day, kind, interactions)
      select (e->>'org_id')::uuid, (e->>'logged_by')::uuid, (e->>'day')::date, e->>'kind', (e->>'n')::int
      from jsonb_array_elements(delta) e
      order by 1, 3, 4, 2
      on conflict (org_id, day, kind, (coalesce(logged_by, '00000000-0000-0000-0000-000000000000'::uuid)))
        do update set interactions = d.interactions + excluded.interactions;
      delete from interaction_days
      where interactions = 0
        and org_id in (select distinct (e->>'org_id')::uuid from jsonb_array_elements(delta) e);
    end $$;
    drop table interaction_weeks;
    drop trigger deal_activity_insert on interactions;
    drop trigger deal_activity_update on interactions;
    drop trigger deal_activity_delete on interactions;
    drop trigger deal_activity_insert on tasks;
    drop trigger deal_activity_update on tasks;
    drop trigger deal_activity_delete on tasks;
    drop function deal_activity_after_interactions();
    drop function deal_activity_after_tasks();
    drop function stage_median_stay(uuid, uuid, integer);
    drop function stage_stay_at(uuid, uuid, bigint);
    drop function refresh_deal_last_activity(uuid[]);
    drop function apply_deal_stay_summaries(jsonb, jsonb);
    drop index deals_owner;
    alter table deals drop column last_activity_at;
    drop table deal_stage_lengths;
    drop table deal_stage_flows;
    drop index deal_stage_stays_repeat;
    alter table deal_stage_stays drop column prev_entered_at;
  `.execute(db);
}
