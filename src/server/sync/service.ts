import { type Kysely, sql } from "kysely";
import {
  type Blocklist,
  type BlocklistScope,
  MAX_BLOCKLIST_ENTRIES,
  type Mailbox,
  type MailboxList,
  type MailboxStatus,
  type MailboxUpdate,
  type MySettings,
  type MySettingsUpdate,
} from "../../shared/mailboxes";
import { recordAudit } from "../audit";
import type { SyncConfig } from "../config";
import type { DB } from "../db/tables";
import { AppError } from "../errors";
import { loggingPolicyOf } from "../organizations/service";
import { type Scope, iso, isoOrNull } from "../scope";
import { currentRole, requireAdmin as requireAdminNow } from "../users/service";
import { usersWithMailboxes } from "./mailbox-store";
import { calendarStatusOf, subscriptionStatusOf } from "./sync-status";
import { FOLDERS } from "./worker";

// The role as the store has it now, not as the caller was remembered at sign-in (an admin may be demoted).
const requireAdmin = (scope: Scope, what: string) => requireAdminNow(scope.db, scope.caller, what);

/**
 * The organisation's mailboxes and where each stands (admins see everyone, so they can see who is enabled; a
 * member sees their own).
 */
export async function listMailboxes(scope: Scope, sync: SyncConfig, only?: string): Promise<MailboxList> {
  const { orgId, userId } = scope.caller;
  const role = await currentRole(scope.db, scope.caller);
  const org = await scope.db
    .selectFrom("organizations")
    .select("logging_policy")
    .where("id", "=", orgId)
    .executeTakeFirstOrThrow();
  const everyone = loggingPolicyOf(org.logging_policy).syncAllMailboxes;
  let query = usersWithMailboxes(scope.db)
    .select([
      "u.id",
      "u.email",
      "u.display_name",
      "m.enabled",
      "m.opted_out",
      "m.status",
      "m.last_run_at",
      "m.last_success_at",
      "m.last_error",
      "m.retry_at",
      "m.lease_until",
    ])
    .where("u.org_id", "=", orgId)
    .orderBy(sql`lower(coalesce(u.display_name, u.email, ''))`)
    .orderBy("u.id");
  if (role !== "admin") query = query.where("u.id", "=", userId);
  if (only !== undefined) query = query.where("u.id", "=", only);
  const users = await query.execute();
  const listed = users.length ? users.map((u) => u.id) : [userId];
  const folders = await scope.db
    .selectFrom("mailbox_sync")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("user_id", "in", listed)
    .execute();
  const calendars = new Map(
    (
      await scope.db
        .selectFrom("calendar_sync")
        .select(["user_id", "last_run_at", "last_success_at"])
        .where("org_id", "=", orgId)
        .where("user_id", "in", listed)
        .execute()
    ).map((c) => [c.user_id, c]),
  );
  const subscriptions = await scope.db
    .selectFrom("graph_subscriptions")
    .select(["user_id", "resource", "expires_at"])
    .where("org_id", "=", orgId)
    .where("user_id", "in", listed)
    .execute();
  const notificationsConfigured = sync.graph !== null && !!sync.notifications;
  const now = new Date();

  const items: Mailbox[] = users.map((u) => {
    const enabledForUser = u.enabled ?? false;
    const optedOut = u.opted_out ?? false;
    const syncing = (enabledForUser || everyone) && !optedOut;
    const status: MailboxStatus = !syncing
      ? optedOut
        ? "opted_out"
        : "not_enabled"
      : sync.graph === null
        ? "not_configured"
        : (u.status ?? "pending");
    const facts = {
      status,
      lastRunAt: u.last_run_at,
      lastError: u.last_error,
      leased: u.lease_until !== null && u.lease_until > now,
    };
    const calendar = calendarStatusOf(facts, calendars.get(u.id));
    return {
      userId: u.id,
      email: u.email,
      displayName: u.display_name,
      syncing,
      enabledForUser,
      optedOut,
      status,
      lastRunAt: isoOrNull(u.last_run_at),
      lastSuccessAt: isoOrNull(u.last_success_at),
      lastError: u.last_error,
      retryAt: isoOrNull(u.retry_at),
      folders: folders
        .filter((f) => f.user_id === u.id)
        .sort((a, b) => FOLDERS.indexOf(a.folder) - FOLDERS.indexOf(b.folder))
        .map((f) => ({
          folder: f.folder,
          backfillFrom: iso(f.backfill_from),
          lastRunAt: isoOrNull(f.last_run_at),
          lastSuccessAt: isoOrNull(f.last_success_at),
          messagesSeen: f.messages_seen,
          messagesLogged: f.messages_logged,
          restarts: f.restarts,
        })),
      calendar,
      notifications: subscriptionStatusOf(
        facts,
        notificationsConfigured,
        calendar,
        subscriptions.filter((s) => s.user_id === u.id),
        now,
      ),
    };
  });
  return {
    syncConfigured: sync.graph !== null,
    notificationsConfigured,
    intervalSeconds: sync.intervalSeconds,
    backfillDays: sync.backfillDays,
    items,
  };
}

/** An admin turns one user's mailbox on or off; the user's own opt-out still wins. */
export async function updateMailbox(
  scope: Scope,
  sync: SyncConfig,
  userId: string,
  input: MailboxUpdate,
): Promise<Mailbox> {
  await requireAdmin(scope, "enables mailboxes");
  const { orgId } = scope.caller;
  await scope.db.transaction().execute(async (tx) => {
    const user = await tx
      .selectFrom("users")
      .select("id")
      .where("org_id", "=", orgId)
      .where("id", "=", userId)
      .executeTakeFirst();
    if (!user) throw new AppError("not_found", 404, "There is no such user in your organisation.");
    await tx
      .insertInto("mailboxes")
      .values({ org_id: orgId, user_id: userId, enabled: input.enabled })
      // Turning a mailbox on again retries it now, whatever it was waiting for.
      .onConflict((oc) =>
        oc.columns(["org_id", "user_id"]).doUpdateSet({
          enabled: input.enabled,
          retry_at: input.enabled ? null : sql`mailboxes.retry_at`,
          updated_at: sql`now()`,
        }),
      )
      .execute();
    await recordAudit(tx, scope.caller, "mailbox.enabled", { type: "user", id: userId }, input);
  });
  return mailboxOf(scope, sync, userId);
}

/** The caller's own mailbox, as an admin's list shows it (Today says why its meetings may be missing). */
export async function myMailbox(scope: Scope, sync: SyncConfig): Promise<Mailbox> {
  return mailboxOf(scope, sync, scope.caller.userId);
}

async function mailboxOf(scope: Scope, sync: SyncConfig, userId: string): Promise<Mailbox> {
  // Only after requireAdmin: an admin's list holds every user, this one asks for one.
  const [mailbox] = (await listMailboxes(scope, sync, userId)).items;
  if (!mailbox) throw new AppError("not_found", 404, "There is no such user in your organisation.");
  return mailbox;
}

export async function mySettings(db: Kysely<DB>, orgId: string, userId: string): Promise<MySettings> {
  const row = await usersWithMailboxes(db)
    .select(["u.auto_log_opened", "u.language", "u.time_zone", "m.opted_out"])
    .where("u.org_id", "=", orgId)
    .where("u.id", "=", userId)
    .executeTakeFirstOrThrow();
  return {
    autoLogOpened: row.auto_log_opened,
    syncOptedOut: row.opted_out ?? false,
    language: row.language,
    timeZone: row.time_zone,
  };
}

export async function updateMySettings(scope: Scope, input: MySettingsUpdate): Promise<MySettings> {
  const { orgId, userId } = scope.caller;
  await scope.db.transaction().execute(async (tx) => {
    if (input.autoLogOpened !== undefined || input.language !== undefined || input.timeZone !== undefined)
      await tx
        .updateTable("users")
        .set({ auto_log_opened: input.autoLogOpened, language: input.language, time_zone: input.timeZone })
        .where("org_id", "=", orgId)
        .where("id", "=", userId)
        .execute();
    if (input.syncOptedOut !== undefined) {
      const before = await tx
        .selectFrom("mailboxes")
        .select("opted_out")
        .where("org_id", "=", orgId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      // Mail that came while the rep was opted out is theirs: opting in again starts reading from now, not
      // from where the sync stopped (and never backfills over the opted-out time).
      if (before?.opted_out === true && !input.syncOptedOut)
        await tx
          .updateTable("mailbox_sync")
          .set({ link: null, link_kind: null, backfill_from: sql`now()` })
          .where("org_id", "=", orgId)
          .where("user_id", "=", userId)
          .execute();
      await tx
        .insertInto("mailboxes")
        .values({ org_id: orgId, user_id: userId, opted_out: input.syncOptedOut })
        .onConflict((oc) =>
          oc
            .columns(["org_id", "user_id"])
            .doUpdateSet({ opted_out: input.syncOptedOut, updated_at: sql`now()` }),
        )
        .execute();
    }
    await recordAudit(tx, scope.caller, "user.settings", { type: "user", id: userId }, input);
  });
  return mySettings(scope.db, orgId, userId);
}

/** The entries of one list: the organisation's (anyone may read what applies to them) or the caller's own. */
export async function listBlocklist(scope: Scope, listScope: BlocklistScope): Promise<Blocklist> {
  const { orgId, userId } = scope.caller;
  const rows = await scope.db
    .selectFrom("blocklist_entries")
    .select(["id", "entry", "entry_as_written", "created_at"])
    .where("org_id", "=", orgId)
    .where((eb) => (listScope === "organization" ? eb("user_id", "is", null) : eb("user_id", "=", userId)))
    .orderBy("entry")
    .execute();
  return { scope: listScope, items: rows.map((r) => toBlocklistEntry(r, listScope)) };
}

/** An entry as it was written; the stored key is its canonical form. */
function toBlocklistEntry(
  row: { id: string; entry: string; entry_as_written: string | null; created_at: Date },
  scope: BlocklistScope,
): Blocklist["items"][number] {
  return { id: row.id, scope, entry: row.entry_as_written ?? row.entry, createdAt: iso(row.created_at) };
}

export async function addBlocklistEntry(
  scope: Scope,
  input: { scope: BlocklistScope; entry: { entry: string; written: string } },
): Promise<{ entry: Blocklist["items"][number]; created: boolean }> {
  if (input.scope === "organization") await requireAdmin(scope, "changes the organisation's blocklist");
  const { orgId, userId } = scope.caller;
  const owner = input.scope === "organization" ? null : userId;
  return scope.db.transaction().execute(async (tx) => {
    const sameList = tx
      .selectFrom("blocklist_entries")
      .where("org_id", "=", orgId)
      .where((eb) => (owner === null ? eb("user_id", "is", null) : eb("user_id", "=", owner)));
    const { entry, written } = input.entry;
    // In any spelling: @müller.example is already there when @xn--mller-kva.example is.
    const existing = await sameList
      .select(["id", "entry", "entry_as_written", "created_at"])
      .where("entry", "=", entry)
      .executeTakeFirst();
    if (existing) return { entry: toBlocklistEntry(existing, input.scope), created: false };
    const { count } = await sameList
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_BLOCKLIST_ENTRIES)
      throw new AppError(
        "invalid_request",
        400,
        `A blocklist holds at most ${MAX_BLOCKLIST_ENTRIES} entries; block a whole domain with @domain instead.`,
      );
    const row = await tx
      .insertInto("blocklist_entries")
      .values({
        org_id: orgId,
        user_id: owner,
        entry,
        entry_as_written: written === entry ? null : written,
        created_by: userId,
      })
      .onConflict((oc) => oc.doNothing())
      .returning(["id", "entry", "entry_as_written", "created_at"])
      .executeTakeFirst();
    if (!row)
      throw new AppError("store_busy", 503, "Someone added the same entry at this moment; try again.");
    await recordAudit(
      tx,
      scope.caller,
      "blocklist.added",
      { type: "blocklist_entry", id: row.id },
      { scope: input.scope, entry: written },
    );
    return { entry: toBlocklistEntry(row, input.scope), created: true };
  });
}

export async function removeBlocklistEntry(scope: Scope, id: string): Promise<{ id: string; deleted: true }> {
  const { orgId, userId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom("blocklist_entries")
      .select(["id", "user_id", "entry", "entry_as_written"])
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .executeTakeFirst();
    // Another rep's personal entry is as invisible as one of another organisation.
    if (!row || (row.user_id !== null && row.user_id !== userId))
      throw new AppError("not_found", 404, "There is no such blocklist entry.");
    // Inside the transaction: on PGlite the store has one connection, which the transaction holds.
    if (row.user_id === null) await requireAdminNow(tx, scope.caller, "changes the organisation's blocklist");
    await tx.deleteFrom("blocklist_entries").where("org_id", "=", orgId).where("id", "=", id).execute();
    await recordAudit(
      tx,
      scope.caller,
      "blocklist.removed",
      { type: "blocklist_entry", id },
      { entry: row.entry_as_written ?? row.entry },
    );
    return { id, deleted: true as const };
  });
}
