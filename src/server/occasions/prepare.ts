import { type Kysely, sql } from "kysely";
import { TimeZone } from "../../shared/time-zone";
import { localDay } from "../dashboard/local-day";
import type { DB } from "../db/tables";
import { type DayParts, birthdaysFallingOn, partsOf, wonDealOccasion } from "./due";

/** The hour of `now` on the wall clock of `timeZone` (0–23). */
export function localHour(timeZone: string, now: Date): number {
  const hour = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" })
    .formatToParts(now)
    .find((p) => p.type === "hour")?.value;
  return Number(hour ?? 0);
}

/** The rep's zone as stored, or UTC when they have none (or one this runtime's Intl does not know). */
export const zoneOf = (stored: string | null): string => {
  const zone = TimeZone.safeParse(stored);
  return zone.success ? zone.data : "UTC";
};

interface Rule {
  id: string;
  kind: "birthday" | "won_deal";
  offset_days: number | null;
  yearly: boolean;
  mode: "draft" | "send";
}

/**
 * Writes today's occasion mails of every rep whose morning has come (their local hour is `morningHour` or later),
 * as rows in state `prepared`. A row is unique per contact and occasion: preparing again, on this server or
 * another, adds nothing. A rep's own rules come before the organisation's, so theirs wins an occasion both have.
 */
export async function prepareOccasionMails(db: Kysely<DB>, now: Date, morningHour: number): Promise<number> {
  const reps = await db
    .selectFrom("users as u")
    .select(["u.org_id", "u.id", "u.time_zone"])
    .where("u.deactivated_at", "is", null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("occasion_rules as r")
          .select(sql`1`.as("one"))
          .whereRef("r.org_id", "=", "u.org_id")
          .where("r.active", "=", true)
          .where((r) => r.or([r("r.scope", "=", "organization"), r("r.owner_id", "=", r.ref("u.id"))])),
      ),
    )
    .execute();
  let prepared = 0;
  for (const rep of reps) {
    const zone = zoneOf(rep.time_zone);
    if (localHour(zone, now) < morningHour) continue;
    const day = localDay(zone, now).date;
    const rules = await db
      .selectFrom("occasion_rules")
      .select(["id", "kind", "offset_days", "yearly", "mode"])
      .where("org_id", "=", rep.org_id)
      .where("active", "=", true)
      .where((eb) => eb.or([eb("scope", "=", "organization"), eb("owner_id", "=", rep.id)]))
      .orderBy(sql`scope = 'personal'`, "desc")
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    for (const rule of rules)
      prepared +=
        rule.kind === "birthday"
          ? await prepareBirthdays(db, rep, rule, day)
          : await prepareWonDeals(db, rep, rule, day, zone);
  }
  return prepared;
}

type Rep = { org_id: string; id: string };

async function insertMails(
  db: Kysely<DB>,
  rows: { contactId: string; dealId: string | null; key: string }[],
  rep: Rep,
  rule: Rule,
  day: string,
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db
    .insertInto("occasion_mails")
    .values(
      rows.map((r) => ({
        org_id: rep.org_id,
        contact_id: r.contactId,
        rule_id: rule.id,
        user_id: rep.id,
        deal_id: r.dealId,
        occasion_key: r.key,
        occasion_day: day,
        kind: rule.kind,
        mode: rule.mode,
        reason: null,
        unfilled: [],
        graph_message_id: null,
        error: null,
        lease_owner: null,
        lease_until: null,
      })),
    )
    .onConflict((oc) => oc.columns(["org_id", "contact_id", "occasion_key"]).doNothing())
    .returning("id")
    .execute();
  return inserted.length;
}

async function prepareBirthdays(db: Kysely<DB>, rep: Rep, rule: Rule, day: string): Promise<number> {
  const today: DayParts = partsOf(day);
  const contacts = await db
    .selectFrom("contacts")
    .select("id")
    .where("org_id", "=", rep.org_id)
    .where("owner_id", "=", rep.id)
    .where((eb) =>
      eb.or(
        birthdaysFallingOn(today).map((d) =>
          eb.and([eb("birthday_month", "=", d.month), eb("birthday_day", "=", d.day)]),
        ),
      ),
    )
    .execute();
  return insertMails(
    db,
    contacts.map((c) => ({ contactId: c.id, dealId: null, key: `birthday:${today.year}` })),
    rep,
    rule,
    day,
  );
}

async function prepareWonDeals(
  db: Kysely<DB>,
  rep: Rep,
  rule: Rule,
  day: string,
  zone: string,
): Promise<number> {
  const timing = rule.yearly ? ({ yearly: true } as const) : { afterDays: rule.offset_days ?? 0 };
  if (!rule.yearly && !rule.offset_days) return 0;
  const today = partsOf(day);
  const deals = await db
    .selectFrom("deals as d")
    .innerJoin("stages as s", "s.id", "d.stage_id")
    .select(["d.id", "d.closed_at"])
    .where("d.org_id", "=", rep.org_id)
    .where("d.owner_id", "=", rep.id)
    .where("s.kind", "=", "won")
    .where("d.closed_at", "is not", null)
    .execute();
  const due: { dealId: string; tail: string }[] = [];
  for (const deal of deals) {
    if (!deal.closed_at) continue;
    const tail = wonDealOccasion(partsOf(localDay(zone, deal.closed_at).date), today, timing);
    if (tail) due.push({ dealId: deal.id, tail });
  }
  if (due.length === 0) return 0;
  const links = await db
    .selectFrom("deal_contacts")
    .select(["deal_id", "contact_id"])
    .where("org_id", "=", rep.org_id)
    .where(
      "deal_id",
      "in",
      due.map((d) => d.dealId),
    )
    .execute();
  const tails = new Map(due.map((d) => [d.dealId, d.tail]));
  return insertMails(
    db,
    links.map((l) => ({
      contactId: l.contact_id,
      dealId: l.deal_id,
      key: `won:${l.deal_id}:${tails.get(l.deal_id)}`,
    })),
    rep,
    rule,
    day,
  );
}
