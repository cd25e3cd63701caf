import { type Kysely, sql } from "kysely";

// The product catalogue and a deal's line items (issue 18). Prices and line amounts are exact numeric with room
// for every ISO 4217 minor unit (CLF has 4), as 0014 keeps invoices; the API refuses more decimals than the
// currency has. A product's code is its key in the organisation (an import finds it again by it), compared
// without case: "SUP-1" and "sup-1" are one product. A line keeps the product's name, price and tax rate as they
// were when it was picked, so a later change to the catalogue leaves a deal's amount where it was; a deal's lines
// go with it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table products (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      code text not null,
      name text not null,
      unit text,
      tax_rate numeric(5, 2) not null check (tax_rate >= 0 and tax_rate <= 100),
      active boolean not null default true,
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id)
    );
    create unique index products_code_unique on products (org_id, lower(code));
    create index products_org_name on products (org_id, lower(name), id);

    create table product_prices (
      org_id uuid not null references organizations(id) on delete cascade,
      product_id uuid not null,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      amount numeric(17, 4) not null check (amount >= 0),
      primary key (org_id, product_id, currency),
      constraint product_prices_product_fk foreign key (org_id, product_id) references products(org_id, id) on delete cascade
    );

    create table deal_lines (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      deal_id uuid not null,
      position integer not null check (position >= 0),
      product_id uuid,
      name text not null,
      unit text,
      quantity numeric(13, 4) not null check (quantity > 0),
      unit_price numeric(17, 4) not null check (unit_price >= 0),
      discount_percent numeric(5, 2) not null default 0 check (discount_percent >= 0 and discount_percent <= 100),
      tax_rate numeric(5, 2) not null check (tax_rate >= 0 and tax_rate <= 100),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      unique (org_id, deal_id, position),
      constraint deal_lines_deal_fk foreign key (org_id, deal_id) references deals(org_id, id) on delete cascade,
      constraint deal_lines_product_fk foreign key (org_id, product_id) references products(org_id, id) on delete set null (product_id)
    );
    create index deal_lines_product on deal_lines (org_id, product_id) where product_id is not null;

    -- A deal's amount taken from its lines has its currency's decimals: three for KWD, which numeric(15, 2) would
    -- have rounded away. The same bound on the whole part (13 digits).
    alter table deals alter column amount type numeric(17, 4);
  `.execute(db);
  // The second wall, as 0004 raised it for every table with org_id then.
  for (const table of ["products", "product_prices", "deal_lines"])
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
    drop table deal_lines;
    drop table product_prices;
    drop table products;
    alter table deals alter column amount type numeric(15, 2);
  `.execute(db);
}
