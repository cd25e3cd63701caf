import { type Kysely, sql } from "kysely";

// Meetings (issue 17). A meeting is an interaction of kind meeting: its start is the interaction's occurred_at
// (timelines, reports and segments already order and count by it), and what a meeting has beyond that lives in
// columns of interactions (null for everything else), so every path that reads an interaction (the timeline, the
// profile's recent history, the export, webhooks) carries the meeting with it and no reader can forget a join.
//
// One meeting is one interaction per organisation: by its iCalUId (Graph's id across calendars, one per
// occurrence of a series), or, logged without one, by its organiser, start and subject. Both are unique indexes,
// so two colleagues capturing the same meeting at once make one interaction, not two.
//
// The calendar capture keeps, per mailbox, where calendarView's delta left off (calendar_sync: the window it was
// asked for, the link) and which event of that mailbox is which interaction (calendar_events): Graph names a
// removed event by its id alone, and a cancelled or moved one must find its interaction, never make a second.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table interactions
      add column meeting_ends_at timestamptz(3),
      add column meeting_location text,
      add column meeting_online_url text,
      add column meeting_ical_uid text,
      add column meeting_organizer text,
      add column meeting_cancelled boolean,
      add column meeting_outcome text check (meeting_outcome in ('held', 'no_show', 'rescheduled', 'cancelled')),
      -- A meeting's details come whole or not at all. Not tied to the kind: a rep may edit a logged meeting into
      -- a call through the notes' route, and its details then simply stop showing (Interaction.meeting is null).
      add constraint interactions_meeting_details check ((meeting_ends_at is null) = (meeting_cancelled is null));
    create unique index interactions_meeting_ical on interactions (org_id, meeting_ical_uid)
      where meeting_ical_uid is not null;
    -- md5 of the subject: a subject may be long, and an index row has a size limit.
    create unique index interactions_meeting_slot on interactions (org_id, meeting_organizer, occurred_at, md5(coalesce(subject, '')))
      where meeting_ical_uid is null and meeting_organizer is not null;
    -- Today's briefs: a user's meetings of a day, from interaction_loggers to the meetings in a range.
    create index interactions_meetings on interactions (org_id, occurred_at) where meeting_ends_at is not null;
    create index interaction_loggers_user on interaction_loggers (org_id, user_id, interaction_id);

    create table calendar_sync (
      org_id uuid not null,
      user_id uuid not null,
      link text,
      link_kind text check (link_kind in ('next', 'delta')),
      -- The calendarView window the link was asked for: a delta link keeps its window, so the capture asks for
      -- a new one when this one has moved on.
      window_start timestamptz(3) not null,
      window_end timestamptz(3) not null,
      last_run_at timestamptz(3),
      last_success_at timestamptz(3),
      events_seen integer not null default 0,
      meetings_logged integer not null default 0,
      restarts integer not null default 0,
      primary key (org_id, user_id),
      foreign key (org_id, user_id) references mailboxes(org_id, user_id) on delete cascade
    );

    create table calendar_events (
      org_id uuid not null,
      user_id uuid not null,
      event_id text not null,
      interaction_id uuid not null,
      primary key (org_id, user_id, event_id),
      foreign key (org_id, user_id) references users(org_id, id) on delete cascade,
      foreign key (org_id, interaction_id) references interactions(org_id, id) on delete cascade
    );
    create index calendar_events_interaction on calendar_events (org_id, interaction_id);
  `.execute(db);
  for (const table of ["calendar_sync", "calendar_events"])
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
    drop table calendar_events;
    drop table calendar_sync;
    drop index interaction_loggers_user;
    drop index interactions_meetings;
    drop index interactions_meeting_slot;
    drop index interactions_meeting_ical;
    alter table interactions
      drop constraint interactions_meeting_details,
      drop column meeting_outcome,
      drop column meeting_cancelled,
      drop column meeting_organizer,
      drop column meeting_ical_uid,
      drop column meeting_online_url,
      drop column meeting_location,
      drop column meeting_ends_at;
  `.execute(db);
}
