import { type Kysely, sql } from "kysely";

// Each contact's last interaction, kept on the contact as the participants are written, so that the segments'
// "last contacted" conditions read one indexed column instead of probing every contact's interactions (issue 19:
// an EXISTS over interaction_participants took up to 3.4 s at 100,000 contacts and 1,000,000 interactions).
//
// contacts.last_interaction_at is max(occurred_at) over the contact's interaction_participants rows: exactly what
// the filter asked before (any kind, any direction or none, any role; the participants' own occurred_at, which the
// services keep in step with the interaction's when a note is moved in time). Null: never in an interaction.
//
// Kept as 0025 keeps the reports' rollups: statement-level triggers with transition tables on
// interaction_participants, in the writer's own statement and transaction, so no writer (logging an email or a
// note, the mailbox sync, an import linking addresses to contacts, a web form, a merge, an erasure, a cascade
// from a deleted interaction or contact, plain SQL) can forget it. A statement's affected contacts are locked in
// id order and their newest participant is read again through interaction_participants_contact (one index probe
// each): exact for inserts, back-dated rows, deletes and moves alike, and two writers of one contact take turns,
// the second reading the first's committed rows. A contact is only written when its value changes.
//
// rebuild_contact_last_interactions(org) makes it again from history; rebuild_report_rollups (0025), which
// `npm run admin -- rebuild-rollups` runs, now calls it too, and this migration runs it for the existing data.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table contacts add column last_interaction_at timestamptz(3);
    -- "Within N days" and "after a date" are a range, "not within", "before" and "never" a range and IS NULL.
    create index contacts_last_interaction on contacts (org_id, last_interaction_at);

    create function refresh_contact_last_interactions(contact_ids uuid[]) returns void language plpgsql as $$
    begin
      if cardinality(contact_ids) = 0 then
        return;
      end if;
      -- Locked in one order first, then read in a statement of its own: under READ COMMITTED that statement sees
      -- what a writer who held the lock before committed (a concurrent delete of the contact's other newest row).
      -- NO KEY UPDATE, not UPDATE: the participants' foreign key check has just taken KEY SHARE on these contacts,
      -- in this writer and in any other writing the same contacts; FOR UPDATE would wait on the other's check
      -- while it waits on ours. NO KEY UPDATE still makes two of these refreshes take turns.
      perform 1 from contacts c join unnest(contact_ids) as touched(id) on c.id = touched.id
        order by c.id for no key update of c;
      update contacts c set last_interaction_at = newest.at
      from (
        select touched.id, (
          select max(p.occurred_at) from interaction_participants p where p.contact_id = touched.id
        ) as at
        from unnest(contact_ids) as touched(id)
      ) newest
      where c.id = newest.id and c.last_interaction_at is distinct from newest.at;
    end $$;

    create function contact_last_interaction_after_insert() returns trigger language plpgsql as $$
    begin
      perform refresh_contact_last_interactions(array(
        select distinct contact_id from new_participants where contact_id is not null));
      return null;
    end $$;
    -- Only the contacts whose (contact, time) pairs changed: an update of an address or a name touches none.
    create function contact_last_interaction_after_update() returns trigger language plpgsql as $$
    begin
      perform refresh_contact_last_interactions(array(
        select contact_id from (
          (select contact_id, occurred_at from old_participants
            except all select contact_id, occurred_at from new_participants)
          union all
          (select contact_id, occurred_at from new_participants
            except all select contact_id, occurred_at from old_participants)
        ) changed
        where contact_id is not null
        group by contact_id));
      return null;
    end $$;
    create function contact_last_interaction_after_delete() returns trigger language plpgsql as $$
    begin
      perform refresh_contact_last_interactions(array(
        select distinct contact_id from old_participants where contact_id is not null));
      return null;
    end $$;
    create trigger contact_last_interaction_insert after insert on interaction_participants
      referencing new table as new_participants
      for each statement execute function contact_last_interaction_after_insert();
    create trigger contact_last_interaction_update after update on interaction_participants
      referencing old table as old_participants new table as new_participants
      for each statement execute function contact_last_interaction_after_update();
    create trigger contact_last_interaction_delete after delete on interaction_participants
      referencing old table as old_participants
      for each statement execute function contact_last_interaction_after_delete();

    -- One organisation's contacts (null: every organisation's) made again from the participants.
    create function rebuild_contact_last_interactions(org uuid) returns void language plpgsql as $$
    begin
      update contacts c set last_interaction_at = newest.at
      from (
        select c2.id, max(p.occurred_at) as at
        from contacts c2
        left join interaction_participants p on p.contact_id = c2.id
        where org is null or c2.org_id = org
        group by c2.id
      ) newest
      where c.id = newest.id and c.last_interaction_at is distinct from newest.at;
    end $$;

    -- The admin's rebuild-rollups (and anything else calling 0025's rebuild) mends this too.
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

    select rebuild_contact_last_interactions(null);
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
    end $$;
    drop trigger contact_last_interaction_insert on interaction_participants;
    drop trigger contact_last_interaction_update on interaction_participants;
    drop trigger contact_last_interaction_delete on interaction_participants;
    drop function rebuild_contact_last_interactions(uuid);
    drop function contact_last_interaction_after_insert();
    drop function contact_last_interaction_after_update();
    drop function contact_last_interaction_after_delete();
    drop function refresh_contact_last_interactions(uuid[]);
    drop index contacts_last_interaction;
    alter table contacts drop column last_interaction_at;
  `.execute(db);
}
