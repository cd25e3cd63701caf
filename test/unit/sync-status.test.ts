import { type MailboxFacts, calendarStatusOf, subscriptionStatusOf } from "../../src/server/sync/sync-status";

const at = (iso: string) => new Date(iso);
const ok: MailboxFacts = {
  status: "ok",
  lastRunAt: at("2026-12-07T10:00:05Z"),
  lastError: null,
  leased: false,
};
const now = at("2026-12-07T10:01:00Z");

describe("a calendar's state, from what the worker's runs left", () => {
  it("is synced when its last round finished, with when", () => {
    const synced = at("2026-12-07T10:00:04Z");
    expect(calendarStatusOf(ok, { last_run_at: synced, last_success_at: synced })).toEqual({
      state: "synced",
      syncedAt: synced.toISOString(),
      error: null,
    });
  });

  it("is refused when its last run, before the mailbox's, did not finish", () => {
    const refused = { last_run_at: at("2026-12-07T10:00:04Z"), last_success_at: at("2026-12-06T09:00:00Z") };
    expect(calendarStatusOf(ok, refused)).toMatchObject({
      state: "no_consent",
      syncedAt: "2026-12-06T09:00:00.000Z",
    });
    expect(
      calendarStatusOf(ok, { last_run_at: at("2026-12-07T10:00:04Z"), last_success_at: null }).state,
    ).toBe("no_consent");
  });

  it("is not refused while a round is under way, nor after a stop cut one short", () => {
    const midRound = { last_run_at: at("2026-12-07T10:00:30Z"), last_success_at: at("2026-12-07T09:00:00Z") };
    expect(calendarStatusOf(ok, midRound).state).toBe("synced");
    const running = { last_run_at: at("2026-12-07T10:00:04Z"), last_success_at: null };
    expect(calendarStatusOf({ ...ok, leased: true }, running).state).toBe("pending");
  });

  it("fails with the mailbox's error, and is off while the mailbox is not synced", () => {
    const failing: MailboxFacts = { ...ok, status: "failing", lastError: "Microsoft Graph answered 500" };
    expect(calendarStatusOf(failing, undefined)).toEqual({
      state: "failing",
      syncedAt: null,
      error: "Microsoft Graph answered 500",
    });
    for (const status of ["not_enabled", "opted_out", "not_configured"] as const)
      expect(calendarStatusOf({ ...ok, status }, undefined).state).toBe("off");
    expect(calendarStatusOf({ ...ok, status: "pending", lastRunAt: null }, undefined).state).toBe("pending");
  });
});

describe("a mailbox's change notifications, from its subscriptions", () => {
  const synced = calendarStatusOf(ok, {
    last_run_at: at("2026-12-07T10:00:04Z"),
    last_success_at: at("2026-12-07T10:00:04Z"),
  });
  const refused = calendarStatusOf(ok, { last_run_at: at("2026-12-07T10:00:04Z"), last_success_at: null });
  const live = [
    { resource: "messages" as const, expires_at: at("2026-12-09T10:00:00Z") },
    { resource: "events" as const, expires_at: at("2026-12-08T10:00:00Z") },
  ];

  it("is off without a notification URL, or for a mailbox not synced", () => {
    expect(subscriptionStatusOf(ok, false, synced, live, now)).toMatchObject({
      state: "off",
      reason: "not_configured",
    });
    expect(subscriptionStatusOf({ ...ok, status: "opted_out" }, true, synced, [], now)).toMatchObject({
      state: "off",
      reason: "mailbox_off",
    });
  });

  it("is active until the earliest subscription expires", () => {
    expect(subscriptionStatusOf(ok, true, synced, live, now)).toEqual({
      state: "active",
      reason: null,
      expiresAt: "2026-12-08T10:00:00.000Z",
      error: null,
    });
  });

  it("fails when a subscription lapsed or was never made, saying the likeliest reason", () => {
    const lapsed = [live[0], { resource: "events" as const, expires_at: at("2026-12-07T09:00:00Z") }].filter(
      (s) => s !== undefined,
    );
    expect(subscriptionStatusOf(ok, true, refused, lapsed, now)).toEqual({
      state: "failing",
      reason: "no_calendar_consent",
      expiresAt: "2026-12-09T10:00:00.000Z",
      error: null,
    });
    expect(subscriptionStatusOf(ok, true, synced, lapsed, now)).toMatchObject({
      state: "failing",
      reason: "not_made",
    });
    expect(subscriptionStatusOf(ok, true, refused, [], now)).toMatchObject({ reason: "not_made" });
    const failing: MailboxFacts = { ...ok, status: "backing_off", lastError: "Microsoft Graph answered 429" };
    expect(subscriptionStatusOf(failing, true, synced, [], now)).toEqual({
      state: "failing",
      reason: "mailbox_failing",
      expiresAt: null,
      error: "Microsoft Graph answered 429",
    });
    expect(
      subscriptionStatusOf({ ...ok, status: "pending", lastRunAt: null }, true, synced, [], now).state,
    ).toBe("pending");
  });
});
