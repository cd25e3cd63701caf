import { type Kysely, sql } from "kysely";

// The language a user chose in the web app's menu, on every device they sign in from; null follows the browser.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column language text check (language in ('en', 'sv', 'de', 'nb', 'hr'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users drop column language`.execute(db);
}
