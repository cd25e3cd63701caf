import { periodicRun } from "../periodic-run";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { isBlocked } from "../../shared/privacy";
import type { Database } from "../db/database";
import { AppError } from "../errors";
import { blocklistFor } from "../organizations/privacy";
import { GraphFailure } from "../sync/mail-graph";
import { graphIdentity } from "../sync/worker";
import { renderTemplateFor } from "../templates/render";
import type { MailDrafts } from "./mail-drafts";
import { prepareOccasionMails, zoneOf } from "./prepare";

export interface OccasionReport {
  prepared: number;
  drafted: number;
  sent: number;
  held: number;
  skipped: number;
  failed: number;
}

export interface OccasionWorker {
  /** Prepares what is due now and delivers every prepared mail; resolves when done. */
  runOnce(): Promise<OccasionReport>;
  start(): void;
  stop(): Promise<void>;
}

export interface OccasionWorkerDeps {
  /** The owner's view: every organisation's reps are scheduled; each query names its organisation. */
  database: Pick<Database, "db" | "forOrganization">;
  drafts: MailDrafts;
  config: {
    intervalSeconds: number;
    /** The local hour from which a rep's day's mails are prepared. */
    morningHour: number;
    /** How long a server holds a mail it delivers; a crashed server's is taken over after it. */
    leaseSeconds: number;
    /** The tenant the credentials are for; null: each organisation's own. */
    tenantId: string | null;
  };
  clock?: () => Date;
  logger?: Pick<Logger, "info" | "warn" | "error">;
  /** The store is this process's alone (PGlite): a lease found at start is a crashed run's, freed at once. */
  exclusiveStore?: boolean;
  /**
   * The server's public address (RAPPORT_PUBLIC_URL) survey links are made on; without one a template's survey
   * field is left unfilled (and the mail held like any other with an unfilled field): there is no request to take
   * an origin from.
   */
  publicUrl?: string | null;
}

/** A Graph failure waits this long before the mail is tried again (the lease it keeps says when). */
const RETRY_AFTER_FAILURE_SECONDS = 300;

export function createOccasionWorker(deps: OccasionWorkerDeps): OccasionWorker {
  const { db } = deps.database;
  const { config } = deps;
  const clock = deps.clock ?? (() => new Date());
  const workerId = randomUUID();

  /**
   * Takes one mail due for delivery: prepared, or `sending` (a send begun on a server that died), and held by no
   * live lease. FOR UPDATE SKIP LOCKED: servers claiming at once each get a different one, nobody waits.
   */
  async function claim(): Promise<string | null> {
    return db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom("occasion_mails")
        .select("id")
        .where("state", "in", ["prepared", "sending"])
        .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", clock())]))
        .orderBy("created_at")
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!row) return null;
      await tx
        .updateTable("occasion_mails")
        .set((eb) => ({
          lease_owner: workerId,
          lease_until: new Date(clock().getTime() + config.leaseSeconds * 1000),
          attempts: eb("attempts", "+", 1),
          updated_at: clock(),
        }))
        .where("id", "=", row.id)
        .execute();
      return row.id;
    });
  }

  /** Records an outcome, if this worker still holds the mail (a lease lost to another server changes nothing). */
  async function settle(
    id: string,
    values: {
      state: "prepared" | "sending" | "drafted" | "sent" | "held" | "skipped";
      reason?: string | null;
      unfilled?: string[];
      graphMessageId?: string | null;
      mode?: "draft" | "send";
      error?: string | null;
      keepLeaseSeconds?: number;
    },
  ): Promise<boolean> {
    const result = await db
      .updateTable("occasion_mails")
      .set({
        state: values.state,
        ...(values.reason !== undefined ? { reason: values.reason } : {}),
        ...(values.unfilled !== undefined ? { unfilled: values.unfilled } : {}),
        ...(values.graphMessageId !== undefined ? { graph_message_id: values.graphMessageId } : {}),
        ...(values.mode !== undefined ? { mode: values.mode } : {}),
        error: values.error ?? null,
        lease_owner: values.keepLeaseSeconds ? workerId : null,
        lease_until: values.keepLeaseSeconds
          ? new Date(clock().getTime() + values.keepLeaseSeconds * 1000)
          : null,
        updated_at: clock(),
      })
      .where("id", "=", id)
      .where("lease_owner", "=", workerId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async function deliver(id: string, report: OccasionReport): Promise<void> {
    const mail = await db
      .selectFrom("occasion_mails as m")
      .innerJoin("users as u", (j) => j.onRef("u.id", "=", "m.user_id").onRef("u.org_id", "=", "m.org_id"))
      .innerJoin("organizations as o", "o.id", "m.org_id")
      .innerJoin("contacts as c", (j) =>
        j.onRef("c.id", "=", "m.contact_id").onRef("c.org_id", "=", "m.org_id"),
      )
      .leftJoin("occasion_rules as r", (j) =>
        j.onRef("r.id", "=", "m.rule_id").onRef("r.org_id", "=", "m.org_id"),
      )
      .select([
        "m.id",
        "m.org_id",
        "m.user_id",
        "m.contact_id",
        "m.deal_id",
        "m.state",
        "m.graph_message_id",
        "m.unfilled",
        "u.email",
        "u.external_id",
        "u.time_zone",
        "u.deactivated_at",
        "o.tenant_id",
        "o.internal_domains",
        "c.display_name",
        "c.no_automated_mail",
        "r.template_id",
        "r.mode as rule_mode",
      ])
      .where("m.id", "=", id)
      .executeTakeFirst();
    // The contact was erased (its mails go with it) between the claim and now: nothing to do.
    if (!mail) return;
    const skip = async (reason: string) => {
      if (await settle(id, { state: "skipped", reason })) report.skipped += 1;
    };

    // A send begun on a server that died: the draft exists (its id was recorded first); only the send is in doubt.
    if (mail.state === "sending") return finishSend(mail, report);

    if (mail.no_automated_mail) return skip("no_automated_mail");
    if (!mail.template_id) return skip("no_template");
    if (mail.deactivated_at) return skip("no_mailbox");
    const address = await db
      .selectFrom("contact_emails")
      .select(["address", "address_as_written"])
      .where("org_id", "=", mail.org_id)
      .where("contact_id", "=", mail.contact_id)
      .orderBy("position")
      .executeTakeFirst();
    if (!address) return skip("no_address");
    // The organisation's blocklist and the rep's own, as every automatic path obeys them.
    if (isBlocked(address.address, await blocklistFor(db, mail.org_id, mail.user_id)))
      return skip("blocked_address");
    const identity = graphIdentity(
      {
        email: mail.email,
        externalId: mail.external_id,
        tenantId: mail.tenant_id,
        internalDomains: mail.internal_domains,
      },
      config.tenantId,
    );
    if (!identity) return skip("no_mailbox");

    let rendered;
    try {
      rendered = await renderTemplateFor(
        {
          db: deps.database.forOrganization(mail.org_id),
          caller: { orgId: mail.org_id, userId: mail.user_id, email: mail.email },
        },
        mail.template_id,
        { contactId: mail.contact_id, dealId: mail.deal_id, timeZone: zoneOf(mail.time_zone) },
        clock(),
        deps.publicUrl ?? null,
      );
    } catch (error) {
      // A template the rep cannot see (a colleague's own) or that grew too long is refused every time.
      if (error instanceof AppError && error.status < 500) return skip("no_template");
      throw error;
    }
    const sender = await db
      .selectFrom("occasion_rule_senders as s")
      .innerJoin("occasion_mails as m", (j) =>
        j.onRef("m.rule_id", "=", "s.rule_id").onRef("m.user_id", "=", "s.user_id"),
      )
      .select("s.user_id")
      .where("m.id", "=", id)
      .executeTakeFirst();

    // The draft carries this mail's id: found again, never made twice, after a crash between Graph and the store.
    const existing = await deps.drafts.findByMarker(identity.tenant, identity.user, id);
    // A field without a value never leaves in a mail: the mail becomes a draft showing the field marked, held in
    // the rep's mailbox whatever the rule's mode. A draft found from an attempt that recorded unfilled fields is
    // that marked draft, even if the field has been filled since: it is never sent.
    const unfilled =
      rendered.unfilled.length > 0
        ? rendered.unfilled
        : existing && mail.unfilled.length > 0
          ? mail.unfilled
          : [];
    // Send mode sends only from the mailbox of a rep who turned it on; for everyone else it drafts.
    const mode = mail.rule_mode === "send" && sender && unfilled.length === 0 ? "send" : "draft";
    // Recorded before the draft is made, so a retry after a crash knows the draft it finds is the marked one.
    if (
      unfilled.length > 0 &&
      !existing &&
      !(await settle(id, { state: "prepared", unfilled, keepLeaseSeconds: config.leaseSeconds }))
    )
      return;
    const draft =
      existing ??
      (await deps.drafts.createDraft(identity.tenant, identity.user, {
        marker: id,
        subject: rendered.subject,
        html: rendered.html,
        to: { address: address.address_as_written ?? address.address, name: mail.display_name },
      }));
    if (unfilled.length > 0) {
      // Sent already only if the rep sent the marked draft themselves: it went, as they chose.
      const state = draft.isDraft ? "held" : "sent";
      if (await settle(id, { state, mode, unfilled, graphMessageId: draft.id })) report[state] += 1;
      return;
    }
    if (mode === "draft" || !draft.isDraft) {
      const state = draft.isDraft ? "drafted" : "sent";
      if (await settle(id, { state, mode, unfilled: [], graphMessageId: draft.id })) report[state] += 1;
      return;
    }
    // The intent first: a server that dies after the send finds `sending` and looks before sending again.
    if (
      !(await settle(id, {
        state: "sending",
        mode,
        unfilled: [],
        graphMessageId: draft.id,
        keepLeaseSeconds: config.leaseSeconds,
      }))
    )
      return;
    await deps.drafts.sendDraft(identity.tenant, identity.user, draft.id);
    if (await settle(id, { state: "sent" })) report.sent += 1;
  }

  async function finishSend(
    mail: {
      id: string;
      org_id: string;
      user_id: string;
      email: string | null;
      external_id: string;
      tenant_id: string;
      internal_domains: string[];
      graph_message_id: string | null;
    },
    report: OccasionReport,
  ) {
    const identity = graphIdentity(
      {
        email: mail.email,
        externalId: mail.external_id,
        tenantId: mail.tenant_id,
        internalDomains: mail.internal_domains,
      },
      config.tenantId,
    );
    if (!identity) {
      if (await settle(mail.id, { state: "skipped", reason: "no_mailbox" })) report.skipped += 1;
      return;
    }
    const found = await deps.drafts.findByMarker(identity.tenant, identity.user, mail.id);
    if (!found) {
      // The rep deleted the draft before it went: not ours to write again.
      if (await settle(mail.id, { state: "skipped", reason: "draft_deleted" })) report.skipped += 1;
      return;
    }
    if (found.isDraft) await deps.drafts.sendDraft(identity.tenant, identity.user, found.id);
    if (await settle(mail.id, { state: "sent", graphMessageId: found.id })) report.sent += 1;
  }

  let leasesChecked = !deps.exclusiveStore;
  async function runOnce(): Promise<OccasionReport> {
    if (!leasesChecked) {
      await db
        .updateTable("occasion_mails")
        .set({ lease_owner: null, lease_until: null })
        .where("lease_owner", "is not", null)
        .where("state", "in", ["prepared", "sending"])
        .execute();
      leasesChecked = true;
    }
    const report: OccasionReport = { prepared: 0, drafted: 0, sent: 0, held: 0, skipped: 0, failed: 0 };
    report.prepared = await prepareOccasionMails(db, clock(), config.morningHour);
    while (!loop.stopping) {
      const id = await claim();
      if (!id) break;
      try {
        await deliver(id, report);
      } catch (error) {
        report.failed += 1;
        const message = error instanceof Error ? error.message : String(error);
        deps.logger?.warn({ occasionMail: id, err: message }, "an occasion mail failed; tried again later");
        // Kept leased for a while: tried again after it, by whichever server claims it then.
        const current = await db
          .selectFrom("occasion_mails")
          .select("state")
          .where("id", "=", id)
          .executeTakeFirst();
        if (current && (current.state === "prepared" || current.state === "sending"))
          await settle(id, {
            state: current.state,
            error: message.slice(0, 1000),
            // Graph's Retry-After when it asks for longer: trying sooner only earns another 429.
            keepLeaseSeconds: Math.max(
              RETRY_AFTER_FAILURE_SECONDS,
              error instanceof GraphFailure ? Math.min(86_400, Math.ceil(error.retryAfterSeconds ?? 0)) : 0,
            ),
          }).catch(() => undefined);
      }
    }
    return report;
  }

  const loop = periodicRun({
    intervalMs: config.intervalSeconds * 1000,
    run: runOnce,
    done: (report) => {
      if (report.prepared + report.drafted + report.sent + report.failed > 0)
        deps.logger?.info({ occasions: report }, "occasion mails run");
    },
    failed: (error) => deps.logger?.error({ err: String(error) }, "occasion mails run failed"),
  });
  return { runOnce: loop.runOnce, start: loop.start, stop: loop.stop };
}
