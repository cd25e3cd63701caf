import { type Kysely, sql } from "kysely";

// An organisation's admin can make Microsoft 365 the only way in: then nobody of it signs in with a Rapport
// password or passkey, accepts an invitation or resets a password, and its own-account sessions end as the switch
// is turned on (accounts/sign-in-policy.ts), with that reason. Off by default: an organisation keeps both ways.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table organizations add column microsoft365_only boolean not null default false;
    alter table sessions drop constraint sessions_end_reason_check;
    alter table sessions add constraint sessions_end_reason_check check (end_reason in ('signed_out',
      'signed_out_everywhere', 'ended_by_user', 'refresh_reused', 'deactivated', 'password_reset', 'password_changed',
      'microsoft365_only'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    update sessions set end_reason = 'deactivated' where end_reason = 'microsoft365_only';
    alter table sessions drop constraint sessions_end_reason_check;
    alter table sessions add constraint sessions_end_reason_check check (end_reason in ('signed_out',
      'signed_out_everywhere', 'ended_by_user', 'refresh_reused', 'deactivated', 'password_reset', 'password_changed'));
    alter table organizations drop column microsoft365_only;
  `.execute(db);
}
