import { type Kysely, sql } from "kysely";

// Several records per interaction (issue 17): an email or a meeting about two deals, or about a company none of its
// participants works for.
//
// `interactions.deal_id` stays the interaction's primary deal (what every reader and the follow-ups key on: the
// API's `dealId`); `interaction_links` holds the links beyond it: further deals, and companies. Keeping the primary
// deal where it was, rather than moving every deal into this table, leaves each existing reader exact without a
// rewrite. A contact's company is linked by being its contact's (read at read time, never stored), so a person who
// changes companies takes nothing wrong along; a row here is a link someone chose, or that the conversation carried
// (a later message of a thread takes its earlier messages' links).
//
// One row is one link: exactly one of deal_id and company_id. A deal's or company's deletion removes its links, as
// an interaction's does.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table interaction_links (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      interaction_id uuid not null,
      deal_id uuid,
      company_id uuid,
      created_by uuid,
      created_at timestamptz(3) not null default now(),
      check (num_nonnulls(deal_id, company_id) = 1),
      constraint interaction_links_interaction_fk foreign key (org_id, interaction_id)
        references interactions(org_id, id) on delete cascade,
      constraint interaction_links_deal_fk foreign key (org_id, deal_id) references deals(org_id, id) on delete cascade,
      constraint interaction_links_company_fk foreign key (org_id, company_id)
        references companies(org_id, id) on delete cascade,
      constraint interaction_links_user_fk foreign key (org_id, created_by)
        references users(org_id, id) on delete set null (created_by)
    );
    create unique index interaction_links_deal on interaction_links (interaction_id, deal_id) where deal_id is not null;
    create unique index interaction_links_company on interaction_links (interaction_id, company_id)
      where company_id is not null;
    -- A deal's and a company's timelines read their links by the record.
    create index interaction_links_by_deal on interaction_links (org_id, deal_id) where deal_id is not null;
    create index interaction_links_by_company on interaction_links (org_id, company_id) where company_id is not null;

    alter table interaction_links enable row level security;
    create policy org_wall on interaction_links to rapport_app
      using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
      with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
    grant select, insert, update, delete on interaction_links to rapport_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table interaction_links;`.execute(db);
}
