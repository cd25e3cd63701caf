import { type Kysely, sql } from "kysely";

// A Rapport key is made by the sender's add-in as the mail goes and is kept only on the sender's own copy, yet any
// colleague can read it off the interaction. Joining by it is therefore the right of the user who first logged
// under it, its owner: anyone else posting it with another email's message id would merge and delete that email.
//
// Keys already stored get the user who gave them to their interaction: the one who stamped it on an email logged
// before (an `email.completed` of `rapport_key`, or an `email.merged`), else the one who logged it under its key.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table interactions add column rapport_key_owner uuid;
    alter table interactions add constraint interactions_rapport_key_owner_fk
      foreign key (org_id, rapport_key_owner) references users(org_id, id) on delete set null (rapport_key_owner);
    update interactions i set rapport_key_owner = coalesce(
      (select a.actor_id from audit_events a
        where a.org_id = i.org_id and a.entity_type = 'interaction' and a.entity_id = i.id
          and (a.action = 'email.merged' or (a.action = 'email.completed' and a.details->'fields' ? 'rapport_key'))
        order by a.at, a.id limit 1),
      i.logged_by)
    where i.rapport_key is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table interactions drop column rapport_key_owner;
  `.execute(db);
}
