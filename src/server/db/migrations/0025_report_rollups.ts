import { type Kysely, sql } from "kysely";

// What the dashboard and the stage conversion and activity reports read, kept as the history is written rather
// than recomputed from the whole history on every request (issue 20).
//
// - deal_stage_stays: one row per stage change, the stay it began: where the deal went, when, when it left
//   (the deal's next change) and for where, and the stay's length in seconds. Stage conversion counts distinct
//   deals and takes medians: neither adds up over days, so the stays themselves are kept, not daily sums.
// - interaction_days: how many interactions of each kind each user logged on each UTC day. The activity report
//   adds them up per ISO week; its periods are whole UTC days, so the days answer it exactly.
//
// Both are kept by triggers on deal_stage_changes and interactions, in the writer's own statement and
// transaction, so no writer (a route, an import, the demo data, an erasure, a cascade from a deleted deal, user
// or organisation, a hand-written SQL fix) can forget them. Statement-level triggers with transition tables: a
// bulk insert of a million rows costs one grouped statement, not a million. The stays of a deal are recomputed
// from its whole (short) history whenever any of its changes is written, which is exact whatever order the
// changes arrive in (an import's back-dated history, a change deleted from the middle).
//
// rebuild_report_rollups(org) rebuilds both from history: this migration runs it for the existing data, and
// `npm run admin -- rebuild-rollups` runs it on demand.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table deal_stage_stays (
      change_id uuid primary key,
      org_id uuid not null references organizations(id) on delete cascade,
      deal_id uuid not null,
      stage_id uuid not null,
      entered_at timestamptz(3) not null,
      left_at timestamptz(3),
      next_stage_id uuid,
      -- The same expression the reports computed (extract(epoch from left_at - entered_at)::float8), so the
      -- medians are the same to the last bit. Null while the deal is still in the stage.
      seconds float8
    );
    create index deal_stage_stays_stage on deal_stage_stays (org_id, stage_id, entered_at);
    create index deal_stage_stays_length on deal_stage_stays (org_id, stage_id, seconds) where seconds is not null;
    create index deal_stage_stays_deal on deal_stage_stays (deal_id);

    create table interaction_days (
      org_id uuid not null references organizations(id) on delete cascade,
      -- Who logged (interactions.logged_by); null for an import's or a removed user's.
      logged_by uuid,
      day date not null,
      kind text not null,
      interactions integer not null
    );
    -- The key treats "logged by nobody" as one value: an expression rather than NULLS NOT DISTINCT, which
    -- PostgreSQL before 15 lacks.
    create unique index interaction_days_key on interaction_days
      (org_id, day, kind, (coalesce(logged_by, '00000000-0000-0000-0000-000000000000'::uuid)));
    create index interaction_days_user on interaction_days (org_id, logged_by, day);
    create index interaction_days_emptied on interaction_days (org_id) where interactions = 0;

    -- The stays of these deals, recomputed from their history. The deals are locked first so that two writers
    -- of the same deal's history take turns (each then reads the other's committed changes). Joined to the ids
    -- rather than filtered by "= any(deal_ids)": a bulk write names 100,000 deals, and a scan testing each row
    -- against the whole array costs rows × deals, where a join costs their sum. FOR NO KEY UPDATE, not FOR UPDATE:
    -- it excludes another refresh of the deal all the same, and does not wait on the KEY SHARE locks that foreign
    -- key checks of rows naming the deal (a task, an interaction, this very history) hold in other writers, which
    -- could wait on this one in turn.
    create function refresh_deal_stage_stays(deal_ids uuid[]) returns void language plpgsql as $$
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

    create function deal_stage_stays_after_insert() returns trigger language plpgsql as $$
    begin
      perform refresh_deal_stage_stays(array(select distinct deal_id from new_changes));
      return null;
    end $$;
    create function deal_stage_stays_after_update() returns trigger language plpgsql as $$
    begin
      perform refresh_deal_stage_stays(array(
        select deal_id from old_changes union select deal_id from new_changes));
      return null;
    end $$;
    create function deal_stage_stays_after_delete() returns trigger language plpgsql as $$
    begin
      perform refresh_deal_stage_stays(array(select distinct deal_id from old_changes));
      return null;
    end $$;
    create trigger deal_stage_stays_insert after insert on deal_stage_changes
      referencing new table as new_changes for each statement execute function deal_stage_stays_after_insert();
    create trigger deal_stage_stays_update after update on deal_stage_changes
      referencing old table as old_changes new table as new_changes
      for each statement execute function deal_stage_stays_after_update();
    create trigger deal_stage_stays_delete after delete on deal_stage_changes
      referencing old table as old_changes for each statement execute function deal_stage_stays_after_delete();

    -- Adds a statement's rows (+1 each) and removes its old rows (-1 each) per user, day and kind, in key order
    -- (two writers' upserts then lock the same counters in the same order), and drops the counters emptied.
    create function add_interaction_days(delta jsonb) returns void language plpgsql as $$
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

    create function interaction_days_after_insert() returns trigger language plpgsql as $$
    begin
      perform add_interaction_days(coalesce((
        select jsonb_agg(g) from (
          select org_id, logged_by, (occurred_at at time zone 'UTC')::date as day, kind, count(*) as n
          from new_interactions group by 1, 2, 3, 4) g), '[]'));
      return null;
    end $$;
    create function interaction_days_after_update() returns trigger language plpgsql as $$
    begin
      perform add_interaction_days(coalesce((
        select jsonb_agg(g) from (
          select org_id, logged_by, day, kind, sum(n) as n from (
            select org_id, logged_by, (occurred_at at time zone 'UTC')::date as day, kind, -1 as n from old_interactions
            union all
            select org_id, logged_by, (occurred_at at time zone 'UTC')::date as day, kind, 1 as n from new_interactions
          ) rows
          group by 1, 2, 3, 4
          having sum(n) <> 0) g), '[]'));
      return null;
    end $$;
    create function interaction_days_after_delete() returns trigger language plpgsql as $$
    begin
      perform add_interaction_days(coalesce((
        select jsonb_agg(g) from (
          select org_id, logged_by, (occurred_at at time zone 'UTC')::date as day, kind, -count(*) as n
          from old_interactions group by 1, 2, 3, 4) g), '[]'));
      return null;
    end $$;
    create trigger interaction_days_insert after insert on interactions
      referencing new table as new_interactions for each statement execute function interaction_days_after_insert();
    create trigger interaction_days_update after update on interactions
      referencing old table as old_interactions new table as new_interactions
      for each statement execute function interaction_days_after_update();
    create trigger interaction_days_delete after delete on interactions
      referencing old table as old_interactions for each statement execute function interaction_days_after_delete();

    -- Both rollups of one organisation (null: of every organisation) made again from the history.
    create function rebuild_report_rollups(org uuid) returns void language plpgsql as $$
    begin
      delete from deal_stage_stays where org is null or org_id = org;
      perform refresh_deal_stage_stays(array(select id from deals where org is null or org_id = org));
      delete from interaction_days where org is null or org_id = org;
      insert into interaction_days (org_id, logged_by, day, kind, interactions)
      select org_id, logged_by, (occurred_at at time zone 'UTC')::date, kind, count(*)
      from interactions
      where org is null or org_id = org
      group by 1, 2, 3, 4;
    end $$;

    select rebuild_report_rollups(null);
  `.execute(db);
  for (const table of ["deal_stage_stays", "interaction_days"])
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
    drop trigger interaction_days_insert on interactions;
    drop trigger interaction_days_update on interactions;
    drop trigger interaction_days_delete on interactions;
    drop trigger deal_stage_stays_insert on deal_stage_changes;
    drop trigger deal_stage_stays_update on deal_stage_changes;
    drop trigger deal_stage_stays_delete on deal_stage_changes;
    drop function rebuild_report_rollups(uuid);
    drop function interaction_days_after_insert();
    drop function interaction_days_after_update();
    drop function interaction_days_after_delete();
    drop function add_interaction_days(jsonb);
    drop function deal_stage_stays_after_insert();
    drop function deal_stage_stays_after_update();
    drop function deal_stage_stays_after_delete();
    drop function refresh_deal_stage_stays(uuid[]);
    drop table interaction_days;
    drop table deal_stage_stays;
  `.execute(db);
}
