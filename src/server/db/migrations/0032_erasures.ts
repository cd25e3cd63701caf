import { type Kysely, sql } from "kysely";

// Erasures in slices (issue 20). An erasure of a person on thousands of emails was one transaction: on the
// embedded store, one connection, every other request waited for all of it. Now it runs as a series of short
// transactions (person-data/erase.ts), each taking a bounded number of the person's interactions, and this row is
// what carries it from one to the next and over a crash: it is written by the first slice and deleted by the last,
// in the same transaction as the contact's deletion, so an erasure that began is either still here (and the next
// start of a server, or the admin asking again, goes on with it) or complete.
//
// It holds, while it lasts, what the slices must still recognise of the person once their earlier interactions
// are gone: the names and addresses their mail carried and their phones (`mentions`), and the counts so far, so
// the answer at the end counts the whole erasure. The admin who asked is the actor of the audit event at the end,
// whoever finishes it.
//
// No foreign key to contacts: the last slice deletes the contact and this row together, and a row whose contact
// is gone otherwise (deleted by another request meanwhile) is dropped by the next slice that sees it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table erasures (
      org_id uuid not null references organizations(id) on delete cascade,
      contact_id uuid not null,
      requested_by uuid not null references users(id),
      mentions jsonb not null,
      counts jsonb not null,
      slices int not null default 0,
      started_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      primary key (org_id, contact_id)
    );
    alter table erasures enable row level security;
    create policy org_wall on erasures to rapport_app
      using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
      with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
    grant select, insert, update, delete on erasures to rapport_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table erasures`.execute(db);
}
