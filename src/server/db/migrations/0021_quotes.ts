import { type Kysely, sql } from "kysely";

// Quote documents (issue 18): an organisation's quote template and the quotes made from deals' lines.
//
// `quote_templates` is one row per organisation, written the first time an admin saves it or a quote is made.
// Its `last_number` is the organisation's quote counter: a quote raises it in the transaction that stores the
// quote (`insert ... on conflict do update ... returning`), so two quotes made at once on any server, on either
// store, wait for each other's row lock and never share a number, and a failed quote gives its number back.
//
// A quote keeps its PDF's bytes and the lines it was made from (JSON), as they were: the deal's lines may change
// after, and the quote the customer holds must still read the same. Its version counts the deal's quotes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table quote_templates (
      org_id uuid primary key references organizations(id) on delete cascade,
      company_name text not null default '',
      address text not null default '',
      vat_number text not null default '',
      contact text not null default '',
      validity_days integer not null default 30 check (validity_days between 1 and 365),
      language text not null default 'en' check (language in ('en', 'sv', 'de', 'nb', 'hr')),
      terms jsonb not null default '{}',
      logo bytea,
      logo_type text check (logo_type in ('image/png', 'image/jpeg')),
      last_number integer not null default 0 check (last_number >= 0),
      version integer not null default 1,
      updated_at timestamptz(3) not null default now(),
      check ((logo is null) = (logo_type is null))
    );

    create table quotes (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      deal_id uuid not null,
      number integer not null check (number > 0),
      version integer not null check (version > 0),
      language text not null check (language in ('en', 'sv', 'de', 'nb', 'hr')),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      total numeric(17, 4) not null,
      valid_until date not null,
      lines jsonb not null,
      pdf bytea not null,
      created_by uuid,
      created_at timestamptz(3) not null default now(),
      unique (org_id, number),
      unique (org_id, deal_id, version),
      constraint quotes_deal_fk foreign key (org_id, deal_id) references deals(org_id, id) on delete cascade,
      constraint quotes_creator_fk foreign key (org_id, created_by) references users(org_id, id) on delete set null (created_by)
    );
  `.execute(db);
  for (const table of ["quote_templates", "quotes"])
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
    drop table quotes;
    drop table quote_templates;
  `.execute(db);
}
