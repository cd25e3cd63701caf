import { type Kysely, sql } from "kysely";

// How often each web form token has been sent. A token is good for a few posts only (the first, and retries after a
// problem), counted in the store so every server behind a load balancer sees what another counted. A row lasts
// as long as its token does (`expires_at`); the form's next submission clears its expired rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table web_form_token_uses (
      org_id uuid not null,
      form_id uuid not null,
      token_id text not null,
      uses integer not null default 1,
      expires_at timestamptz(3) not null,
      primary key (form_id, token_id),
      constraint web_form_token_uses_form_fk foreign key (org_id, form_id) references web_forms(org_id, id) on delete cascade
    );
    create index web_form_token_uses_expiry on web_form_token_uses (org_id, form_id, expires_at);
    alter table web_form_token_uses enable row level security;
    create policy org_wall on web_form_token_uses to rapport_app
      using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
      with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
    grant select, insert, update, delete on web_form_token_uses to rapport_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table web_form_token_uses`.execute(db);
}
