import { type Kysely, sql } from "kysely";

// The organisation's base currency and its exchange rates, so that reports never add up amounts in different
// currencies: they show them per currency, or converted into the base at a rate an admin set.
//
// An organisation that already has deals gets the currency most of them are in (ties: alphabetically) as its
// base, so its reports read as before; one without gets EUR. No rate is made up: until an admin sets one, a
// currency is shown per currency and flagged as not converted.
//
// A rate is what one unit of the currency is worth in the base, exactly (numeric, never float), with when and
// by whom it was set; one per currency (a new rate replaces the old, and the audit trail keeps the history).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table organizations
      add column base_currency text not null default 'EUR' check (base_currency ~ '^[A-Z]{3}$');

    update organizations o set base_currency = common.currency
    from (
      select distinct on (org_id) org_id, currency
      from deals
      where currency ~ '^[A-Z]{3}$'
      group by org_id, currency
      order by org_id, count(*) desc, currency
    ) common
    where common.org_id = o.id;

    create table exchange_rates (
      org_id uuid not null references organizations(id) on delete cascade,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      rate numeric(20, 10) not null check (rate > 0),
      set_at timestamptz(3) not null default now(),
      set_by uuid,
      primary key (org_id, currency),
      constraint exchange_rates_set_by_fk foreign key (org_id, set_by) references users(org_id, id) on delete set null (set_by)
    );
  `.execute(db);
  // The second wall, as 0004 raised it for every table with org_id then.
  await sql`
    alter table exchange_rates enable row level security;
    create policy org_wall on exchange_rates to rapport_app
      using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
      with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
    grant select, insert, update, delete on exchange_rates to rapport_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table exchange_rates;
    alter table organizations drop column base_currency;
  `.execute(db);
}
