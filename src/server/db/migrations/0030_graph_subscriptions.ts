import { type Kysely, sql } from "kysely";

// Near-real-time sync (issue 17): Microsoft Graph change notifications for each synced mailbox.
//
// `mailboxes.wake_at`: a notification for the mailbox came and no run has started since. Any server's worker
// polls it (and the server that received the notification runs it at once); the claim that starts a run clears
// it, so notifications arriving before a run starts coalesce into that one run, and one arriving during a run
// asks for exactly one more. It lives in the store, so the trigger reaches whichever server takes the mailbox.
//
// `graph_subscriptions`: one per mailbox and resource (its messages, its events), with Graph's subscription id
// and a hash of the random clientState secret Graph repeats on every notification (SHA-256 of 32 random bytes:
// the secret itself is never stored, and a leaked row does not let anyone forge a notification).
// `renew_now`: Graph asked for reauthorisation; the mailbox's next run renews it.
//
// `graph_notification_receipts`: a digest of each accepted notification, so the same notification delivered
// twice (Graph's own retry, or a replay) triggers at most one run. Pruned after a day by the worker.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mailboxes add column wake_at timestamptz(3);
    create index mailboxes_woken on mailboxes (wake_at) where wake_at is not null;

    create table graph_subscriptions (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      user_id uuid not null,
      resource text not null check (resource in ('messages', 'events')),
      subscription_id text not null unique check (char_length(subscription_id) between 1 and 200),
      client_state_hash bytea not null check (octet_length(client_state_hash) = 32),
      expires_at timestamptz(3) not null,
      renew_now boolean not null default false,
      created_at timestamptz(3) not null default now(),
      renewed_at timestamptz(3),
      unique (org_id, user_id, resource),
      constraint graph_subscriptions_mailbox_fk foreign key (org_id, user_id)
        references mailboxes(org_id, user_id) on delete cascade
    );

    create table graph_notification_receipts (
      org_id uuid not null references organizations(id) on delete cascade,
      subscription_id uuid not null references graph_subscriptions(id) on delete cascade,
      digest bytea not null check (octet_length(digest) = 32),
      received_at timestamptz(3) not null default now(),
      primary key (subscription_id, digest)
    );
    create index graph_notification_receipts_received on graph_notification_receipts (received_at);
  `.execute(db);
  for (const table of ["graph_subscriptions", "graph_notification_receipts"])
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
    drop table graph_notification_receipts;
    drop table graph_subscriptions;
    drop index mailboxes_woken;
    alter table mailboxes drop column wake_at;
  `.execute(db);
}
