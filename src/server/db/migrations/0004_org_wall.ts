import { type Kysely, sql } from "kysely";

// The second wall between organisations. Every query a request makes already says `org_id = <caller's>`;
// row-level security makes PostgreSQL say it too, so a query that forgot sees and changes nothing foreign.
// Requests run as `rapport_app` (see org-wall.ts), a role without BYPASSRLS whose rows are those of the
// organisation in `rapport.org_id`; the connecting role (the tables' owner) is not subject to the policies, which
// is what migrations, sign-in (it finds the organisation) and the mailbox sync's scheduler need.
//
// The role is cluster-wide, so it may already exist (another database, another Rapport); a database user that
// may not create roles needs an administrator to run, once:
//   create role rapport_app nologin; grant rapport_app to <the user Rapport connects as>;
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    begin
      if not exists (select from pg_roles where rolname = 'rapport_app') then
        begin
          create role rapport_app nologin;
        exception when duplicate_object or unique_violation then
          null; -- created meanwhile by a migration of another database on this server
        end;
      end if;
      if not pg_has_role(current_user, 'rapport_app', 'member') then
        begin
          execute format('grant rapport_app to %I', current_user);
        exception when unique_violation then
          null;
        end;
      end if;
    exception when insufficient_privilege then
      raise exception 'Rapport needs the role rapport_app: ask an administrator to run "create role rapport_app nologin; grant rapport_app to %;"', current_user;
    end $$;
  `.execute(db);
  await sql`
    do $$
    declare
      t record;
    begin
      for t in
        select c.table_name from information_schema.columns c
        join information_schema.tables tb using (table_schema, table_name)
        where c.table_schema = current_schema() and c.column_name = 'org_id' and tb.table_type = 'BASE TABLE'
      loop
        execute format('alter table %I enable row level security', t.table_name);
        execute format(
          'create policy org_wall on %I to rapport_app '
          'using (org_id = nullif(current_setting(''rapport.org_id'', true), '''')::uuid) '
          'with check (org_id = nullif(current_setting(''rapport.org_id'', true), '''')::uuid)',
          t.table_name);
        execute format('grant select, insert, update, delete on %I to rapport_app', t.table_name);
      end loop;
    end $$;

    alter table organizations enable row level security;
    create policy org_wall on organizations to rapport_app
      using (id = nullif(current_setting('rapport.org_id', true), '')::uuid)
      with check (id = nullif(current_setting('rapport.org_id', true), '')::uuid);
    grant select, update on organizations to rapport_app;
    grant usage, select on all sequences in schema public to rapport_app;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare
      t record;
    begin
      for t in
        select tablename from pg_policies where schemaname = current_schema() and policyname = 'org_wall'
      loop
        execute format('drop policy org_wall on %I', t.tablename);
        execute format('alter table %I disable row level security', t.tablename);
        execute format('revoke all on %I from rapport_app', t.tablename);
      end loop;
    end $$;
    revoke usage, select on all sequences in schema public from rapport_app;
  `.execute(db);
}
