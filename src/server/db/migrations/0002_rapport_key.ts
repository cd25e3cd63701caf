import { type Kysely, sql } from "kysely";

// An email logged on send has no internet message id yet: Rapport gives it a key of its own, stored here and on
// the message (a custom property), so the sent copy, when it is seen, joins the same interaction.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table interactions add column rapport_key uuid;
    create unique index interactions_rapport_key on interactions (org_id, rapport_key) where rapport_key is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index interactions_rapport_key;
    alter table interactions drop column rapport_key;
  `.execute(db);
}
