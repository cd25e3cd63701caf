import { type Kysely, sql } from "kysely";

// A customer's invoices and payments, as the organisation's accounting system writes them (idempotently, under
// its own ids: unique per organisation). Amounts are exact numeric with room for every ISO 4217 minor unit (CLF
// has 4); the API refuses more decimals than the currency has, so what is stored is what the accounting system
// sent. An invoice goes with its company (a deleted company takes its history along); a deleted deal leaves the
// invoice without one. A payment goes with its invoice and is in its currency.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table invoices (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      external_id text not null,
      number text not null,
      company_id uuid not null,
      deal_id uuid,
      issue_date date not null,
      due_date date not null,
      amount numeric(17, 4) not null check (amount >= 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      status text not null check (status in ('open', 'paid', 'void', 'credited')),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, external_id),
      unique (org_id, id),
      check (due_date >= issue_date),
      constraint invoices_company_fk foreign key (org_id, company_id) references companies(org_id, id) on delete cascade,
      constraint invoices_deal_fk foreign key (org_id, deal_id) references deals(org_id, id) on delete set null (deal_id)
    );
    create index invoices_company on invoices (org_id, company_id, issue_date desc);
    create index invoices_open on invoices (org_id, due_date) where status = 'open';

    create table payments (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      external_id text not null,
      invoice_id uuid not null,
      paid_on date not null,
      amount numeric(17, 4) not null check (amount > 0),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, external_id),
      constraint payments_invoice_fk foreign key (org_id, invoice_id) references invoices(org_id, id) on delete cascade
    );
    create index payments_invoice on payments (org_id, invoice_id);
  `.execute(db);
  // The second wall, as 0004 raised it for every table with org_id then.
  for (const table of ["invoices", "payments"])
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
    drop table payments;
    drop table invoices;
  `.execute(db);
}
