import { type Kysely, sql } from "kysely";

// A meeting's iCalUId is its key together with its organiser (review finding). The iCalUId is chosen by whoever
// sends the invitation: an outsider who learnt a meeting's UID could send another rep an invitation carrying it,
// and with the UID alone as the key the capture (or that rep's log) found the first meeting and rewrote its time,
// link, subject, place and attendees. Now the same UID from another organiser is another meeting, so the unique
// index takes the organiser too. A meeting whose organiser is not stored (blocked, or erased) counts as one key
// of its own (coalesce): matched by a log whose organiser is not stored either, never doubled.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index interactions_meeting_ical;
    create unique index interactions_meeting_ical
      on interactions (org_id, meeting_ical_uid, coalesce(meeting_organizer, ''))
      where meeting_ical_uid is not null;
  `.execute(db);
}

// Fails (and leaves the store as it was) when two organisers' meetings already share a UID.
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index interactions_meeting_ical;
    create unique index interactions_meeting_ical on interactions (org_id, meeting_ical_uid)
      where meeting_ical_uid is not null;
  `.execute(db);
}
