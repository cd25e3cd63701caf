import { type Kysely, sql } from "kysely";
import type { BaseCurrencyUpdate, Currencies, ExchangeRate, ExchangeRateSet } from "../../shared/currencies";
import { recordAudit } from "../audit";
import type { DB } from "../db/tables";
import { AppError } from "../errors";
import { type Scope, iso } from "../scope";
import { requireAdmin } from "../users/service";

// The base currency lives on the organisation's row and every rate is to it. Changing the base and setting a
// rate both lock that row (the first for update, the second for share), so a rate is always stored against the
// base it was meant for: one that arrives after the base changed is refused, never silently re-read.

const WHAT = "sets the base currency and the exchange rates";

/** The organisation's base currency, its rates and the currencies its deals are in. */
export async function getCurrencies(scope: Scope): Promise<Currencies> {
  return currenciesOf(scope.db, scope.caller.orgId);
}

async function currenciesOf(db: Kysely<DB>, orgId: string): Promise<Currencies> {
  const [org, rates, deals] = await Promise.all([
    db.selectFrom("organizations").select("base_currency").where("id", "=", orgId).executeTakeFirstOrThrow(),
    ratesOf(db, orgId),
    db
      .selectFrom("deals")
      .select(["currency", sql<number>`count(*)`.as("deals")])
      .where("org_id", "=", orgId)
      .groupBy("currency")
      .orderBy(sql`currency asc nulls last`)
      .execute(),
  ]);
  return {
    baseCurrency: org.base_currency,
    rates,
    dealCurrencies: deals.map((d) => ({ currency: d.currency, deals: Number(d.deals) })),
  };
}

async function ratesOf(db: Kysely<DB>, orgId: string, currency?: string): Promise<ExchangeRate[]> {
  let select = db
    .selectFrom("exchange_rates as r")
    .leftJoin("users as u", (join) => join.onRef("u.org_id", "=", "r.org_id").onRef("u.id", "=", "r.set_by"))
    .select([
      "r.currency",
      // Exact, as typed: the driver would make numeric a float.
      sql<string>`trim_scale(r.rate)::text`.as("rate"),
      "r.set_at",
      "r.set_by",
      sql<string | null>`coalesce(u.display_name, u.email)`.as("set_by_name"),
    ])
    .where("r.org_id", "=", orgId)
    .orderBy("r.currency");
  if (currency) select = select.where("r.currency", "=", currency);
  const rows = await select.execute();
  return rows.map((r) => ({
    currency: r.currency,
    rate: r.rate,
    setAt: iso(r.set_at),
    setBy: r.set_by ? { id: r.set_by, name: r.set_by_name } : null,
  }));
}

/** A new base removes every rate, which were to the old one: converting at them would be wrong. */
export async function updateBaseCurrency(scope: Scope, input: BaseCurrencyUpdate): Promise<Currencies> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const org = await tx
      .selectFrom("organizations")
      .select("base_currency")
      .where("id", "=", orgId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (org.base_currency === input.baseCurrency) return currenciesOf(tx, orgId);
    const removed = await tx
      .deleteFrom("exchange_rates")
      .where("org_id", "=", orgId)
      .returning(["currency", sql<string>`trim_scale(rate)::text`.as("rate")])
      .execute();
    await tx
      .updateTable("organizations")
      .set({ base_currency: input.baseCurrency })
      .where("id", "=", orgId)
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      "organization.base_currency",
      { type: "organization", id: orgId },
      { from: org.base_currency, to: input.baseCurrency, removedRates: removed },
    );
    return currenciesOf(tx, orgId);
  });
}

/** Sets (or replaces) a currency's rate to the base, dated now; `created` when the currency had none. */
export async function setExchangeRate(
  scope: Scope,
  input: ExchangeRateSet,
): Promise<{ rate: ExchangeRate; created: boolean }> {
  const { orgId, userId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const org = await tx
      .selectFrom("organizations")
      .select("base_currency")
      .where("id", "=", orgId)
      .forShare()
      .executeTakeFirstOrThrow();
    if (org.base_currency !== input.baseCurrency)
      throw new AppError(
        "base_currency_changed",
        409,
        `The base currency is now ${org.base_currency}, not ${input.baseCurrency}: set the rate to ${org.base_currency}.`,
        { current: await currenciesOf(tx, orgId) },
      );
    if (input.currency === org.base_currency)
      throw new AppError(
        "invalid_request",
        400,
        `${input.currency} is the base currency: its rate is 1 by definition.`,
        { errors: [{ path: "body.currency", message: "the base currency needs no rate" }] },
      );
    const previous = await tx
      .selectFrom("exchange_rates")
      .select(sql<string>`trim_scale(rate)::text`.as("rate"))
      .where("org_id", "=", orgId)
      .where("currency", "=", input.currency)
      .forUpdate()
      .executeTakeFirst();
    await tx
      .insertInto("exchange_rates")
      .values({ org_id: orgId, currency: input.currency, rate: input.rate, set_by: userId })
      .onConflict((oc) =>
        oc.columns(["org_id", "currency"]).doUpdateSet({
          rate: (eb) => eb.ref("excluded.rate"),
          set_at: sql`now()`,
          set_by: (eb) => eb.ref("excluded.set_by"),
        }),
      )
      .execute();
    await recordAudit(
      tx,
      scope.caller,
      "exchange_rate.set",
      { type: "organization", id: orgId },
      {
        currency: input.currency,
        rate: input.rate,
        baseCurrency: org.base_currency,
        previous: previous?.rate ?? null,
      },
    );
    const [rate] = await ratesOf(tx, orgId, input.currency);
    if (!rate) throw new Error("the rate just stored is gone");
    return { rate, created: previous === undefined };
  });
}

export async function removeExchangeRate(
  scope: Scope,
  currency: string,
): Promise<{ currency: string; deleted: true }> {
  const { orgId } = scope.caller;
  return scope.db.transaction().execute(async (tx) => {
    await requireAdmin(tx, scope.caller, WHAT);
    const removed = await tx
      .deleteFrom("exchange_rates")
      .where("org_id", "=", orgId)
      .where("currency", "=", currency)
      .returning(sql<string>`trim_scale(rate)::text`.as("rate"))
      .executeTakeFirst();
    if (!removed) throw new AppError("not_found", 404, `There is no exchange rate for ${currency}.`);
    await recordAudit(
      tx,
      scope.caller,
      "exchange_rate.removed",
      { type: "organization", id: orgId },
      { currency, rate: removed.rate },
    );
    return { currency, deleted: true as const };
  });
}
