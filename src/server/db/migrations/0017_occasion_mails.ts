import { type Kysely, sql } from "kysely";

// Occasion mails (issue 16): a birthday or a won deal's anniversary turns into a draft (or, where the rep allowed
// it, a sent mail) in the rep's own mailbox, each morning in the rep's time zone.
//
// - contacts: a birthday (day and month; the year optional) and `no_automated_mail`, the contact's "no mail from a
//   machine", which every occasion rule obeys. 29 February is a valid birthday; it is celebrated on 28 February in
//   other years (the worker's rule, not the store's).
// - users.time_zone: the rep's IANA zone (validated by the API with Intl), null read as UTC. "if not exists": the
//   no-reply reminders (migration 0016) may add the same column.
// - occasion_rules: the organisation's (admins) or one rep's own; a birthday, or N days / every year after a deal
//   was won; a template; draft (the default) or send.
// - occasion_rule_senders: the reps who turned sending on for a rule from their own mailbox. A rule in send mode
//   sends only for them; for everyone else it drafts.
// - occasion_mails: one per contact and occasion (`occasion_key`, e.g. birthday:2026 or won:<deal id>:1y), unique
//   per organisation: the key is what makes an occasion mail happen at most once, whichever server prepares it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column if not exists time_zone text check (length(time_zone) <= 100);

    alter table contacts add column birthday_day smallint;
    alter table contacts add column birthday_month smallint;
    alter table contacts add column birthday_year smallint;
    alter table contacts add column no_automated_mail boolean not null default false;
    alter table contacts add constraint contacts_birthday_valid check (
      ((birthday_day is null) = (birthday_month is null))
      and (birthday_year is null or birthday_day is not null)
      and (birthday_month is null or birthday_month between 1 and 12)
      and (birthday_day is null or birthday_day between 1 and
        case when birthday_month = 2 then 29 when birthday_month in (4, 6, 9, 11) then 30 else 31 end)
      and (birthday_year is null or birthday_year between 1900 and 2100)
      and (birthday_year is null or birthday_month <> 2 or birthday_day <> 29 or
        (birthday_year % 4 = 0 and (birthday_year % 100 <> 0 or birthday_year % 400 = 0)))
    );
    create index contacts_birthday on contacts (org_id, birthday_month, birthday_day) where birthday_month is not null;

    create table occasion_rules (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      scope text not null check (scope in ('organization', 'personal')),
      owner_id uuid,
      name text not null check (length(name) between 1 and 200),
      kind text not null check (kind in ('birthday', 'won_deal')),
      -- won_deal: N days after the win, or every year on its anniversary (yearly); birthday: neither.
      offset_days integer check (offset_days between 1 and 3650),
      yearly boolean not null default false,
      template_id uuid not null,
      mode text not null default 'draft' check (mode in ('draft', 'send')),
      active boolean not null default true,
      created_by uuid,
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id),
      constraint occasion_rules_owner_matches_scope check ((scope = 'personal') = (owner_id is not null)),
      constraint occasion_rules_timing check (
        (kind = 'birthday' and offset_days is null and not yearly)
        or (kind = 'won_deal' and ((offset_days is null) = yearly))
      ),
      constraint occasion_rules_owner_fk foreign key (org_id, owner_id) references users(org_id, id) on delete cascade,
      constraint occasion_rules_template_fk foreign key (org_id, template_id) references templates(org_id, id)
        on delete cascade,
      constraint occasion_rules_created_by_fk foreign key (org_id, created_by) references users(org_id, id)
        on delete set null (created_by)
    );
    create index occasion_rules_org on occasion_rules (org_id, kind) where active;

    create table occasion_rule_senders (
      org_id uuid not null,
      rule_id uuid not null,
      user_id uuid not null,
      turned_on_at timestamptz(3) not null default now(),
      primary key (rule_id, user_id),
      constraint occasion_rule_senders_rule_fk foreign key (org_id, rule_id) references occasion_rules(org_id, id)
        on delete cascade,
      constraint occasion_rule_senders_user_fk foreign key (org_id, user_id) references users(org_id, id)
        on delete cascade
    );

    create table occasion_mails (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null,
      contact_id uuid not null,
      rule_id uuid,
      user_id uuid not null,
      deal_id uuid,
      occasion_key text not null,
      -- The rep's local day it is for (the Today list reads it).
      occasion_day date not null,
      kind text not null check (kind in ('birthday', 'won_deal')),
      mode text not null check (mode in ('draft', 'send')),
      state text not null default 'prepared'
        check (state in ('prepared', 'sending', 'drafted', 'sent', 'held', 'skipped')),
      reason text,
      unfilled text[] not null default '{}',
      graph_message_id text,
      attempts integer not null default 0,
      error text,
      lease_owner text,
      lease_until timestamptz(3),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (org_id, id),
      constraint occasion_mails_once unique (org_id, contact_id, occasion_key),
      constraint occasion_mails_contact_fk foreign key (org_id, contact_id) references contacts(org_id, id)
        on delete cascade,
      constraint occasion_mails_rule_fk foreign key (org_id, rule_id) references occasion_rules(org_id, id)
        on delete set null (rule_id),
      constraint occasion_mails_user_fk foreign key (org_id, user_id) references users(org_id, id) on delete cascade,
      constraint occasion_mails_deal_fk foreign key (org_id, deal_id) references deals(org_id, id)
        on delete set null (deal_id)
    );
    create index occasion_mails_pending on occasion_mails (state, lease_until) where state in ('prepared', 'sending');
    create index occasion_mails_day on occasion_mails (org_id, user_id, occasion_day);
  `.execute(db);
  for (const table of ["occasion_rules", "occasion_rule_senders", "occasion_mails"]) {
    await sql`
      alter table ${sql.table(table)} enable row level security;
      create policy org_wall on ${sql.table(table)} to rapport_app
        using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
        with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
      grant select, insert, update, delete on ${sql.table(table)} to rapport_app;
    `.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table occasion_mails;
    drop table occasion_rule_senders;
    drop table occasion_rules;
    drop index contacts_birthday;
    alter table contacts drop constraint contacts_birthday_valid;
    alter table contacts drop column no_automated_mail;
    alter table contacts drop column birthday_year;
    alter table contacts drop column birthday_month;
    alter table contacts drop column birthday_day;
    alter table users drop column if exists time_zone;
  `.execute(db);
}
