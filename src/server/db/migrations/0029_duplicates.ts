import { type Kysely, sql } from "kysely";

// Duplicates and merging (issue 17).
//
// The rules that make two records likely duplicates are SQL functions here, the one place they are written:
// stored generated columns apply them at every write (the API, the import, the sync, web forms, plain-SQL seeding
// alike), the duplicates list joins on those columns through their indexes, and the import asks the same functions
// for its file's rows (src/server/duplicates/keys.ts), so a file row and a stored record are compared alike.
//
// - an address's match key: its canonical form (0007) without a plus tag (anna+news@x.com is anna@x.com), and
//   for Gmail, whose mailboxes ignore dots, without dots (a.n.na@googlemail.com is anna@gmail.com);
// - a phone's key, E.164-ish: digits after a "+" or "00"; a national number (one leading 0) with the contact's
//   country's calling code when the country is known; fewer than 6 digits is no key;
// - a person's name key: lower case, accents folded, punctuation and runs of spaces made one space;
// - a company's name key: the same, then legal forms at the end (AB, AS, ASA, GmbH, d.o.o., Ltd, Inc, LLC, Oy,
//   ApS, AG, SA, BV, NV, plc, Corp, Co, KG, publ) and AB at the start taken away, and the spaces;
// - a company's domain keys: its domain and its website's host (without www.), so a company known only by its
//   website meets the one known by its domain.
//
// Dismissed pairs (`contact_duplicate_dismissals`, `company_duplicate_dismissals`) hold the pair in id order; a
// record's deletion takes its dismissals along. `contact_merges` and `company_merges` remember where a merged-away
// id went, so links and outboxes made before a merge still land (GET and PATCH answer 301 to the kept record).
// A kept record merged again later carries its pointers along; its deletion takes them.
// The rules' functions keep the search path they were made under: a restore (pg_restore) computes the generated
// keys with an empty search path, where one rule calling another by its bare name would not be found.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function rapport_fold(value text) returns text language sql immutable parallel safe set search_path from current as $fn$
      select translate(
        replace(replace(replace(lower(value), 'æ', 'ae'), 'ß', 'ss'), 'œ', 'oe'),
        'àáâãäåāăąçćčĉďđèéêëēėęěìíîïīįıłľĺñńňòóôõöøōőŕřśšşșťțùúûüūůűųýÿźżžðþ',
        'aaaaaaaaaccccddeeeeeeeeiiiiiiilllnnnoooooooorrssssttuuuuuuuuyyzzzdt')
    $fn$;

    create function rapport_email_match_key(address text) returns text language sql immutable parallel safe set search_path from current as $fn$
      with parts as (
        select left(address, length(address) - strpos(reverse(address), '@')) as local,
               right(address, strpos(reverse(address), '@') - 1) as domain
      ), untagged as (
        select case when local like '"%' or split_part(local, '+', 1) = '' then local
                    else split_part(local, '+', 1) end as local,
               domain
        from parts
      )
      select case when domain in ('gmail.com', 'googlemail.com') then replace(local, '.', '') || '@gmail.com'
                  else local || '@' || domain end
      from untagged
    $fn$;

    create function rapport_calling_code(country text) returns text language sql immutable parallel safe set search_path from current as $fn$
      select case country
        when 'SE' then '46' when 'NO' then '47' when 'DK' then '45' when 'FI' then '358' when 'IS' then '354'
        when 'DE' then '49' when 'AT' then '43' when 'CH' then '41' when 'HR' then '385' when 'SI' then '386'
        when 'BA' then '387' when 'RS' then '381' when 'GB' then '44' when 'IE' then '353' when 'NL' then '31'
        when 'BE' then '32' when 'FR' then '33' when 'ES' then '34' when 'IT' then '39' when 'PL' then '48'
        when 'CZ' then '420' when 'HU' then '36' when 'EE' then '372' when 'LV' then '371' when 'LT' then '370'
        when 'PT' then '351' when 'AU' then '61' when 'NZ' then '64'
      end
    $fn$;

    create function rapport_phone_key(phone text, country text) returns text language sql immutable parallel safe set search_path from current as $fn$
      with p as (select regexp_replace(replace(phone, '(0)', ''), '[^0-9+]', '', 'g') as p),
           d as (select p, regexp_replace(p, '[^0-9]', '', 'g') as digits from p)
      select case
        when length(digits) < 6 then null
        when p like '+%' then '+' || digits
        when digits like '00%' then '+' || substr(digits, 3)
        when digits like '0%' and rapport_calling_code(country) is not null
          then '+' || rapport_calling_code(country) || substr(digits, 2)
        when country in ('US', 'CA') and length(digits) = 10 then '+1' || digits
        else digits
      end
      from d
    $fn$;

    create function rapport_phone_keys(phones text[], country text) returns text[] language sql immutable parallel safe set search_path from current as $fn$
      select coalesce(array_agg(distinct k order by k) filter (where k is not null), '{}')
      from unnest(phones) as phone, rapport_phone_key(phone, country) as k
    $fn$;

    create function rapport_person_name_key(name text) returns text language sql immutable parallel safe set search_path from current as $fn$
      select nullif(btrim(regexp_replace(rapport_fold(name), '[[:punct:][:space:]]+', ' ', 'g')), '')
    $fn$;

    create function rapport_company_name_key(name text) returns text language sql immutable parallel safe set search_path from current as $fn$
      select nullif(replace(
        regexp_replace(
          regexp_replace(
            ' ' || btrim(regexp_replace(replace(rapport_fold(name), '.', ''), '[[:punct:][:space:]]+', ' ', 'g')) || ' ',
            '( (ab|as|asa|gmbh|doo|dd|ltd|limited|inc|llc|oy|oyj|aps|ag|sa|bv|nv|plc|corp|co|kg|publ))+ $', ' '),
          '^ ab ', ' '),
        ' ', ''), '')
    $fn$;

    create function rapport_website_host(website text) returns text language sql immutable parallel safe set search_path from current as $fn$
      select nullif(regexp_replace(regexp_replace(regexp_replace(split_part(split_part(split_part(
        regexp_replace(lower(btrim(website)), '^[a-z][a-z0-9+.-]*://', ''), '/', 1), '?', 1), '#', 1),
        ':[0-9]*$', ''), '^www\\.', ''), '\\.$', ''), '')
    $fn$;

    create function rapport_company_domain_keys(domain text, website text) returns text[] language sql immutable parallel safe set search_path from current as $fn$
      select coalesce(array_agg(distinct k order by k) filter (where k is not null and k like '%.%'), '{}')
      from unnest(array[domain, rapport_website_host(website)]) as k
    $fn$;

    alter table contact_emails add column match_key text generated always as (rapport_email_match_key(address)) stored;
    create index contact_emails_match_key on contact_emails (org_id, match_key);
    alter table contacts add column phone_keys text[] generated always as (rapport_phone_keys(phones, country)) stored;
    create index contacts_phone_keys on contacts using gin (phone_keys);
    alter table contacts add column name_key text generated always as (rapport_person_name_key(display_name)) stored;
    create index contacts_company_name_key on contacts (org_id, company_id, name_key) where company_id is not null;
    alter table companies add column name_key text generated always as (rapport_company_name_key(name)) stored;
    create index companies_name_key on companies (org_id, name_key);
    alter table companies add column domain_keys text[] generated always as (rapport_company_domain_keys(domain, website)) stored;
    create index companies_domain_keys on companies using gin (domain_keys);

    create table contact_duplicate_dismissals (
      org_id uuid not null,
      first_id uuid not null,
      second_id uuid not null,
      dismissed_by uuid,
      dismissed_at timestamptz(3) not null default now(),
      primary key (org_id, first_id, second_id),
      check (first_id < second_id),
      constraint contact_dismissals_first_fk foreign key (org_id, first_id) references contacts(org_id, id) on delete cascade,
      constraint contact_dismissals_second_fk foreign key (org_id, second_id) references contacts(org_id, id) on delete cascade,
      constraint contact_dismissals_user_fk foreign key (org_id, dismissed_by) references users(org_id, id) on delete set null (dismissed_by)
    );
    create index contact_dismissals_second on contact_duplicate_dismissals (org_id, second_id);

    create table company_duplicate_dismissals (
      org_id uuid not null,
      first_id uuid not null,
      second_id uuid not null,
      dismissed_by uuid,
      dismissed_at timestamptz(3) not null default now(),
      primary key (org_id, first_id, second_id),
      check (first_id < second_id),
      constraint company_dismissals_first_fk foreign key (org_id, first_id) references companies(org_id, id) on delete cascade,
      constraint company_dismissals_second_fk foreign key (org_id, second_id) references companies(org_id, id) on delete cascade,
      constraint company_dismissals_user_fk foreign key (org_id, dismissed_by) references users(org_id, id) on delete set null (dismissed_by)
    );
    create index company_dismissals_second on company_duplicate_dismissals (org_id, second_id);

    create table contact_merges (
      org_id uuid not null,
      merged_id uuid not null,
      kept_id uuid not null,
      merged_by uuid,
      merged_at timestamptz(3) not null default now(),
      primary key (org_id, merged_id),
      constraint contact_merges_kept_fk foreign key (org_id, kept_id) references contacts(org_id, id) on delete cascade,
      constraint contact_merges_user_fk foreign key (org_id, merged_by) references users(org_id, id) on delete set null (merged_by)
    );
    create index contact_merges_kept on contact_merges (org_id, kept_id);

    create table company_merges (
      org_id uuid not null,
      merged_id uuid not null,
      kept_id uuid not null,
      merged_by uuid,
      merged_at timestamptz(3) not null default now(),
      primary key (org_id, merged_id),
      constraint company_merges_kept_fk foreign key (org_id, kept_id) references companies(org_id, id) on delete cascade,
      constraint company_merges_user_fk foreign key (org_id, merged_by) references users(org_id, id) on delete set null (merged_by)
    );
    create index company_merges_kept on company_merges (org_id, kept_id);
  `.execute(db);
  for (const table of [
    "contact_duplicate_dismissals",
    "company_duplicate_dismissals",
    "contact_merges",
    "company_merges",
  ])
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
    drop table company_merges;
    drop table contact_merges;
    drop table company_duplicate_dismissals;
    drop table contact_duplicate_dismissals;
    alter table companies drop column domain_keys;
    alter table companies drop column name_key;
    alter table contacts drop column name_key;
    alter table contacts drop column phone_keys;
    alter table contact_emails drop column match_key;
    drop function rapport_company_domain_keys(text, text);
    drop function rapport_website_host(text);
    drop function rapport_company_name_key(text);
    drop function rapport_person_name_key(text);
    drop function rapport_phone_keys(text[], text);
    drop function rapport_phone_key(text, text);
    drop function rapport_calling_code(text);
    drop function rapport_email_match_key(text);
    drop function rapport_fold(text);
  `.execute(db);
}
