import { type Kysely, sql } from "kysely";
import type { MailFolder } from "../../shared/mailboxes";
import type { DB } from "../db/tables";
import { loggingPolicyOf } from "../organizations/service";
import type { LoggingPolicy } from "../../shared/organizations";

/** Every user beside their mailbox row (`m`), which exists once someone chose something for it or it ran. */
export function usersWithMailboxes(db: Kysely<DB>) {
  return db
    .selectFrom("users as u")
    .leftJoin("mailboxes as m", (join) =>
      join.onRef("m.org_id", "=", "u.org_id").onRef("m.user_id", "=", "u.id"),
    );
}

/** A mailbox due for a run, with what its run needs to know of its owner and organisation. */
export interface DueMailbox {
  orgId: string;
  userId: string;
  email: string | null;
  externalId: string;
  tenantId: string;
  internalDomains: string[];
  policy: LoggingPolicy;
}

/**
 * Mailboxes to sync now: enabled for their user or by the organisation's "every mailbox", not opted out, not
 * waiting out a failure, and not held by a live worker. `woken`: only those a change notification asked a run of.
 */
export async function dueMailboxes(db: Kysely<DB>, only: { woken?: boolean } = {}): Promise<DueMailbox[]> {
  let query = usersWithMailboxes(db)
    .innerJoin("organizations as o", "o.id", "u.org_id")
    .select([
      "u.org_id",
      "u.id",
      "u.email",
      "u.external_id",
      "o.tenant_id",
      "o.internal_domains",
      "o.logging_policy",
    ])
    .where((eb) =>
      eb.or([
        eb("m.enabled", "=", true),
        eb(sql<boolean>`coalesce((o.logging_policy->>'syncAllMailboxes')::boolean, false)`, "=", true),
      ]),
    )
    .where(sql<boolean>`coalesce(m.opted_out, false)`, "=", false)
    .where((eb) => eb.or([eb("m.retry_at", "is", null), eb("m.retry_at", "<=", sql<Date>`now()`)]))
    .where((eb) => eb.or([eb("m.lease_until", "is", null), eb("m.lease_until", "<", sql<Date>`now()`)]))
    .orderBy(sql`m.last_run_at nulls first`);
  if (only.woken) query = query.where("m.wake_at", "is not", null);
  const rows = await query.execute();
  return rows.map((r) => ({
    orgId: r.org_id,
    userId: r.id,
    email: r.email,
    externalId: r.external_id,
    tenantId: r.tenant_id,
    internalDomains: r.internal_domains,
    policy: loggingPolicyOf(r.logging_policy),
  }));
}

/** Takes the mailbox for this worker unless another live worker holds it; true when taken. */
export async function claimMailbox(
  db: Kysely<DB>,
  m: DueMailbox,
  owner: string,
  leaseSeconds: number,
): Promise<boolean> {
  const claimed = await db
    .insertInto("mailboxes")
    .values({
      org_id: m.orgId,
      user_id: m.userId,
      lease_owner: owner,
      lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
    })
    .onConflict((oc) =>
      oc
        .columns(["org_id", "user_id"])
        .doUpdateSet({
          lease_owner: owner,
          lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
          // The run starting now answers every change notification received until this moment (0030).
          wake_at: null,
        })
        // Checked again at the claim: the owner may have opted out, or a failure begun, since the list was read.
        .where((eb) =>
          eb.and([
            eb.or([
              eb("mailboxes.lease_until", "is", null),
              eb("mailboxes.lease_until", "<", sql<Date>`now()`),
            ]),
            eb("mailboxes.opted_out", "=", false),
            eb.or([eb("mailboxes.retry_at", "is", null), eb("mailboxes.retry_at", "<=", sql<Date>`now()`)]),
          ]),
        ),
    )
    .returning("user_id")
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Keeps the lease while a long backfill runs; false when another worker took the mailbox meanwhile. */
export async function renewLease(
  db: Kysely<DB>,
  m: DueMailbox,
  owner: string,
  leaseSeconds: number,
): Promise<boolean> {
  const renewed = await db
    .updateTable("mailboxes")
    .set({ lease_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})` })
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .where("lease_owner", "=", owner)
    .where("opted_out", "=", false)
    .returning("user_id")
    .executeTakeFirst();
  return renewed !== undefined;
}

export interface RunOutcome {
  status: "ok" | "backing_off" | "failing";
  error: string | null;
  /** For a failure: seconds Graph asked us to wait, if it did. */
  retryAfterSeconds: number | null;
}

/** Waits after consecutive failures: 1, 2, 4 … minutes, at most an hour. */
export function failureBackoffSeconds(failures: number): number {
  return Math.min(3600, 60 * 2 ** Math.max(0, failures - 1));
}

export async function finishRun(
  db: Kysely<DB>,
  m: DueMailbox,
  owner: string,
  outcome: RunOutcome,
): Promise<void> {
  const base = db
    .updateTable("mailboxes")
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .where("lease_owner", "=", owner);
  if (outcome.status === "ok") {
    await base
      .set({
        status: "ok",
        last_run_at: sql<Date>`now()`,
        last_success_at: sql<Date>`now()`,
        last_error: null,
        failures: 0,
        retry_at: null,
        lease_owner: null,
        lease_until: null,
        updated_at: sql<Date>`now()`,
      })
      .execute();
    return;
  }
  const current = await db
    .selectFrom("mailboxes")
    .select("failures")
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .executeTakeFirst();
  const failures = (current?.failures ?? 0) + 1;
  // Graph's own wait when it named one; otherwise back off further with each failure in a row.
  const wait = outcome.retryAfterSeconds ?? failureBackoffSeconds(failures);
  await base
    .set({
      status: outcome.status,
      last_run_at: sql<Date>`now()`,
      last_error: outcome.error,
      failures,
      retry_at: sql<Date>`now() + make_interval(secs => ${wait})`,
      lease_owner: null,
      lease_until: null,
      updated_at: sql<Date>`now()`,
    })
    .execute();
}

export interface FolderState {
  link: string | null;
  linkKind: "next" | "delta" | null;
  backfillFrom: Date;
}

/** A folder's saved place, made on its first run with the backfill window starting `backfillDays` ago. */
export async function folderState(
  db: Kysely<DB>,
  m: DueMailbox,
  folder: MailFolder,
  backfillDays: number,
): Promise<FolderState> {
  await db
    .insertInto("mailbox_sync")
    .values({
      org_id: m.orgId,
      user_id: m.userId,
      folder,
      backfill_from: sql<Date>`now() - make_interval(days => ${backfillDays})`,
    })
    .onConflict((oc) => oc.columns(["org_id", "user_id", "folder"]).doNothing())
    .execute();
  const row = await db
    .selectFrom("mailbox_sync")
    .select(["link", "link_kind", "backfill_from"])
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .where("folder", "=", folder)
    .executeTakeFirstOrThrow();
  return { link: row.link, linkKind: row.link_kind, backfillFrom: row.backfill_from };
}

/** After a page is logged: where the next run (or this one) goes on from, and what the page held. */
export async function savePage(
  db: Kysely<DB>,
  m: DueMailbox,
  folder: MailFolder,
  owner: string,
  page: { link: string; kind: "next" | "delta"; seen: number; logged: number },
): Promise<boolean> {
  const saved = await db
    .updateTable("mailbox_sync")
    .set({
      link: page.link,
      link_kind: page.kind,
      messages_seen: sql<number>`messages_seen + ${page.seen}`,
      messages_logged: sql<number>`messages_logged + ${page.logged}`,
      last_run_at: sql<Date>`now()`,
      ...(page.kind === "delta" ? { last_success_at: sql<Date>`now()` } : {}),
    })
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .where("folder", "=", folder)
    // Only while this worker holds the mailbox: a worker that lost it never moves another's place.
    .where(whileHeld(m, owner))
    .returning("folder")
    .executeTakeFirst();
  return saved !== undefined;
}

/** Graph forgot the folder's delta (410): read it again from the start of a fresh backfill window. */
export async function restartFolder(
  db: Kysely<DB>,
  m: DueMailbox,
  folder: MailFolder,
  backfillDays: number,
): Promise<Date> {
  const row = await db
    .updateTable("mailbox_sync")
    .set({
      link: null,
      link_kind: null,
      // Never further back than the folder's window began (an opt-in again starts it at that moment).
      backfill_from: sql<Date>`greatest(now() - make_interval(days => ${backfillDays}), backfill_from)`,
      restarts: sql<number>`restarts + 1`,
    })
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .where("folder", "=", folder)
    .returning("backfill_from")
    .executeTakeFirstOrThrow();
  return row.backfill_from;
}

/** Lets the mailbox go without recording a run: a stop in the middle resumes from the saved links. */
export async function releaseLease(db: Kysely<DB>, m: DueMailbox, owner: string): Promise<void> {
  await db
    .updateTable("mailboxes")
    .set({ lease_owner: null, lease_until: null })
    .where("org_id", "=", m.orgId)
    .where("user_id", "=", m.userId)
    .where("lease_owner", "=", owner)
    .execute();
}

/**
 * Frees every lease: only for a store no other process can open (PGlite, behind its lock), where a lease left
 * behind can only be a crashed run's.
 */
export async function releaseAllLeases(db: Kysely<DB>): Promise<void> {
  await db
    .updateTable("mailboxes")
    .set({ lease_owner: null, lease_until: null })
    .where("lease_owner", "is not", null)
    .execute();
}

/**
 * A write's condition that this worker still holds the mailbox: a worker that lost it (its lease taken over) never
 * moves another's place, whichever table the write is to.
 */
export function whileHeld(m: Pick<DueMailbox, "orgId" | "userId">, owner: string) {
  return sql<boolean>`exists (
    select 1 from mailboxes
    where mailboxes.org_id = ${m.orgId} and mailboxes.user_id = ${m.userId} and mailboxes.lease_owner = ${owner}
  )`;
}
