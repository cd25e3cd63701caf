import { type Kysely, sql } from "kysely";

// Rapport's own accounts, beside Microsoft 365 sign-in: a team without an Entra administrator signs in with an
// address and a password that Rapport keeps (issue 22).
//
// - `accounts`: one per user who signs in with Rapport's own credentials. The address is unique in the whole store,
//   not per organisation: signing in names an address and no organisation, so one address must mean one account.
//   The password hash carries its own parameters (scrypt$N$r$p$salt$hash), so they can be raised later.
// - `invitations` and `password_resets`: one-time links. Only a SHA-256 of each link's token is kept: a copy of
//   the store (a backup) holds nothing that opens an account.
// - `sessions` (a session family: one sign-in on one device) and `refresh_tokens` (each refresh token ever issued
//   to it, hashed). A refresh token is replaced at each use; presenting a replaced one means a copy is in someone
//   else's hands, and ends the whole family.
// - `signing_keys`: the key pair Rapport signs its own access tokens with, in the store so that every server of
//   a deployment signs and verifies with the same one. It belongs to no organisation, and requests never read it.
// - `passkeys` (WebAuthn credentials: the public key and the signature counter) and `webauthn_challenges` (each
//   challenge a ceremony was given, used once; no organisation's: a passkey sign-in names no one until it is checked).
// - `users.deactivated_at`: an admin ended the user's access; their sessions end with it.
//
// The organisation-scoped tables get the organisation wall of 0004, as every table with `org_id` has.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column deactivated_at timestamptz(3);

    create table accounts (
      user_id uuid primary key,
      org_id uuid not null references organizations(id) on delete cascade,
      email text not null,
      password_hash text,
      password_changed_at timestamptz(3),
      created_at timestamptz(3) not null default now(),
      constraint accounts_user_fk foreign key (org_id, user_id) references users (org_id, id) on delete cascade,
      constraint accounts_email_unique unique (email)
    );

    create table invitations (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      email text not null,
      role text not null check (role in ('admin', 'member')),
      token_hash text not null unique,
      invited_by uuid,
      created_at timestamptz(3) not null default now(),
      expires_at timestamptz(3) not null,
      accepted_at timestamptz(3),
      accepted_by uuid,
      revoked_at timestamptz(3),
      unique (org_id, id)
    );
    create index invitations_org on invitations (org_id, created_at desc);

    create table password_resets (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      user_id uuid not null,
      token_hash text not null unique,
      created_by uuid,
      created_at timestamptz(3) not null default now(),
      expires_at timestamptz(3) not null,
      used_at timestamptz(3),
      constraint password_resets_user_fk foreign key (org_id, user_id) references users (org_id, id) on delete cascade
    );

    create table sessions (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      user_id uuid not null,
      user_agent text,
      created_at timestamptz(3) not null default now(),
      last_used_at timestamptz(3) not null default now(),
      expires_at timestamptz(3) not null,
      ended_at timestamptz(3),
      end_reason text check (end_reason in ('signed_out', 'signed_out_everywhere', 'ended_by_user', 'refresh_reused', 'deactivated', 'password_reset', 'password_changed')),
      constraint sessions_user_fk foreign key (org_id, user_id) references users (org_id, id) on delete cascade
    );
    create index sessions_user_open on sessions (org_id, user_id) where ended_at is null;

    create table refresh_tokens (
      token_hash text primary key,
      session_id uuid not null references sessions(id) on delete cascade,
      org_id uuid not null references organizations(id) on delete cascade,
      created_at timestamptz(3) not null default now(),
      replaced_at timestamptz(3)
    );
    create index refresh_tokens_session on refresh_tokens (session_id);

    create table passkeys (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references organizations(id) on delete cascade,
      user_id uuid not null,
      credential_id text not null,
      public_key bytea not null,
      counter bigint not null default 0,
      transports text[] not null default '{}',
      name text,
      created_at timestamptz(3) not null default now(),
      last_used_at timestamptz(3),
      constraint passkeys_user_fk foreign key (org_id, user_id) references users (org_id, id) on delete cascade,
      constraint passkeys_credential_unique unique (credential_id)
    );

    create table webauthn_challenges (
      challenge text primary key,
      purpose text not null check (purpose in ('registration', 'authentication')),
      user_id uuid references users(id) on delete cascade,
      expires_at timestamptz(3) not null
    );
    create index webauthn_challenges_expiry on webauthn_challenges (expires_at);

    create table signing_keys (
      kid text primary key,
      private_jwk jsonb not null,
      public_jwk jsonb not null,
      created_at timestamptz(3) not null default now()
    );
  `.execute(db);

  // The organisation wall (0004) for the new organisation-scoped tables, in the same words.
  for (const table of [
    "accounts",
    "invitations",
    "password_resets",
    "sessions",
    "refresh_tokens",
    "passkeys",
  ]) {
    await sql`
      alter table ${sql.table(table)} enable row level security;
      create policy org_wall on ${sql.table(table)} to rapport_app
        using (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid)
        with check (org_id = nullif(current_setting('rapport.org_id', true), '')::uuid);
      grant select, insert, update, delete on ${sql.table(table)} to rapport_app;
    `.execute(db);
  }
  // Requests never touch the signing key: only the owner's connections (sign-in, start-up) read it.
  await sql`revoke all on signing_keys, webauthn_challenges from rapport_app`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table signing_keys, webauthn_challenges, passkeys, refresh_tokens, sessions, password_resets, invitations, accounts;
    alter table users drop column deactivated_at;
  `.execute(db);
}
