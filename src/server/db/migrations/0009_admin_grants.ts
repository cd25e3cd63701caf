import { type Kysely, sql } from "kysely";

// How an admin came to be one when it was not another admin's choice: the tenant assigned them the app role
// (`app_role`) or the server's configuration lists them (`server_list`). Such a role follows the sign-in: it is
// taken away when a sign-in no longer carries the grant, and another admin cannot take it away in Rapport.
// A user holds several tokens at once (an hour or so each), so the issue time of the token that last decided
// the role is kept: an older token decides nothing, and the newest token's grant holds on every server.
// Admins from before this migration (the first user of each organisation, and those promoted in Rapport) keep
// their role as an admin's choice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column admin_grant text check (admin_grant in ('app_role', 'server_list'));
    alter table users add constraint users_admin_grant_admin check (admin_grant is null or role = 'admin');
    alter table users add column grant_token_issued_at timestamptz(3);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users drop column grant_token_issued_at, drop column admin_grant`.execute(db);
}
