import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<Record<string, unknown>, string | undefined, string>;
type CustomFieldsJson = ColumnType<
  Record<string, string | number | boolean | null>,
  string | undefined,
  string
>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
/**
 * The form a user wrote an address or domain in, beside its canonical form (the key compared): null where the two
 * are the same, or where a writer did not say (read it as `coalesce(written, key)`).
 */
type AsWritten = ColumnType<string | null, string | null | undefined, string | null>;
/** One of the five languages (src/shared/languages.ts), as the columns that hold one check it. */
type Language = "en" | "sv" | "de" | "nb" | "hr";
type TextArrayAsWritten = ColumnType<string[] | null, string[] | null | undefined, string[] | null>;

export interface OrganizationsTable {
  id: Generated<string>;
  tenant_id: string;
  name: string;
  /** Canonical (see src/shared/email-address.ts). */
  internal_domains: TextArray;
  /** The same list as written, or null when it is written canonically. */
  internal_domains_as_written: TextArrayAsWritten;
  logging_policy: Json;
  version: Generated<number>;
  /** ISO 4217: what reports convert into. */
  base_currency: Generated<string>;
  /** Microsoft 365 is the only way in: no Rapport password or passkey sign-in (0018). */
  microsoft365_only: Generated<boolean>;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  org_id: string;
  external_id: string;
  email: string | null;
  display_name: string | null;
  role: "admin" | "member";
  /** How a sign-in made this user an admin; null for a member, or an admin by another admin's choice. */
  admin_grant: "app_role" | "server_list" | null;
  /** When the newest token that decided the role at sign-in was issued; an older token decides nothing. */
  grant_token_issued_at: NullableTimestamp;
  created_at: Timestamp;
  last_seen_at: NullableTimestamp;
  auto_log_opened: Generated<boolean>;
  /** The web app's language as the user chose it; null follows the browser. */
  language: "en" | "sv" | "de" | "nb" | "hr" | null;
  /** What a template's `{{rep.title}}`, `{{rep.phone}}` and `{{rep.signature}}` fill in (plain text). */
  title: ColumnType<string | null, string | null | undefined, string | null>;
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  signature: ColumnType<string | null, string | null | undefined, string | null>;
  /** When an admin ended the user's access; null while they have it. */
  deactivated_at: NullableTimestamp;
  /** The rep's IANA time zone: their follow-ups' working days, their mornings for occasion mails, their "today"; null reads as UTC. */
  time_zone: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CompaniesTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  /** Canonical, unique per organisation. */
  domain: string | null;
  domain_as_written: AsWritten;
  phone: string | null;
  website: string | null;
  address: string | null;
  owner_id: string | null;
  custom_fields: CustomFieldsJson;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ContactsTable {
  id: Generated<string>;
  org_id: string;
  display_name: string;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  phones: TextArray;
  company_id: string | null;
  lifecycle_stage: Generated<"lead" | "prospect" | "customer" | "former">;
  tags: TextArray;
  owner_id: string | null;
  source: Generated<string>;
  custom_fields: CustomFieldsJson;
  /** The language the contact reads: the template variant chosen for them; null follows the rep's. */
  language: ColumnType<Language | null, Language | null | undefined, Language | null>;
  /** A birthday: day and month, or neither; the year only with them (29 February only in a leap year). */
  birthday_day: ColumnType<number | null, number | null | undefined, number | null>;
  birthday_month: ColumnType<number | null, number | null | undefined, number | null>;
  birthday_year: ColumnType<number | null, number | null | undefined, number | null>;
  /** The contact wants no mail a machine prepared: no occasion rule writes to them. */
  no_automated_mail: Generated<boolean>;
  /** The contact wants no marketing (0024): a member of no segment, whatever its filter; not `no_automated_mail`. */
  no_marketing: Generated<boolean>;
  /** ISO 3166-1 alpha-2, upper case. */
  country: ColumnType<string | null, string | null | undefined, string | null>;
  /**
   * The newest occurred_at of the contact's interaction_participants rows; null: never in an interaction. Kept
   * by triggers (0026), never written by the services.
   */
  last_interaction_at: ColumnType<Date | null, never, never>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ContactEmailsTable {
  org_id: string;
  contact_id: string;
  /** Canonical, unique per organisation. */
  address: string;
  address_as_written: AsWritten;
  position: number;
}

export interface PipelinesTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  is_default: boolean;
  position: number;
  version: Generated<number>;
  /** Archived, not deleted: the stage history of deals still names its stages. */
  archived_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface StagesTable {
  id: Generated<string>;
  org_id: string;
  pipeline_id: string;
  name: string;
  position: number;
  probability: number;
  kind: "open" | "won" | "lost";
  /** Archived, not deleted: deal_stage_changes still points at it. */
  archived_at: NullableTimestamp;
}

export interface DealsTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  amount: ColumnType<number | null, number | string | null | undefined, number | string | null>;
  currency: string | null;
  expected_close_date: string | null;
  company_id: string | null;
  owner_id: string | null;
  pipeline_id: string;
  stage_id: string;
  closed_at: NullableTimestamp;
  custom_fields: CustomFieldsJson;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DealContactsTable {
  org_id: string;
  deal_id: string;
  contact_id: string;
}

export interface DealStageChangesTable {
  id: Generated<string>;
  org_id: string;
  deal_id: string;
  from_stage_id: string | null;
  to_stage_id: string;
  changed_by: string | null;
  changed_at: Timestamp;
  source: string;
}

/** One stay of a deal in a stage, kept from deal_stage_changes by triggers (migration 0025). */
export interface DealStageStaysTable {
  /** The change that began the stay. */
  change_id: string;
  org_id: string;
  deal_id: string;
  stage_id: string;
  entered_at: Timestamp;
  /** The deal's next change; null while it is still in the stage. */
  left_at: NullableTimestamp;
  next_stage_id: string | null;
  seconds: number | null;
}

/** Interactions per logger, UTC day and kind, kept from interactions by triggers (migration 0025). */
export interface InteractionDaysTable {
  org_id: string;
  logged_by: string | null;
  day: string;
  kind: "email" | "call" | "meeting" | "note" | "visit";
  interactions: number;
}

export interface InteractionsTable {
  id: Generated<string>;
  org_id: string;
  kind: "email" | "call" | "meeting" | "note" | "visit";
  direction: "in" | "out" | null;
  occurred_at: Timestamp;
  subject: string | null;
  body: string | null;
  outcome: string | null;
  internet_message_id: string | null;
  /** Rapport's own key for an email logged on send, before its internet message id is known. */
  rapport_key: string | null;
  /** The user who first logged under the key, the email's sender: only their logs join by it. */
  rapport_key_owner: string | null;
  conversation_id: string | null;
  source: "manual" | "auto" | "on-send" | "import";
  deal_id: string | null;
  logged_by: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InteractionLoggersTable {
  org_id: string;
  interaction_id: string;
  user_id: string;
  logged_at: Timestamp;
}

export interface InteractionParticipantsTable {
  id: Generated<string>;
  org_id: string;
  interaction_id: string;
  contact_id: string | null;
  /** Canonical. */
  address: string | null;
  name: string | null;
  role: "from" | "to" | "cc" | "with";
  position: number;
  /** Copied from the interaction so that a contact's latest interactions come straight off one index. */
  occurred_at: Timestamp;
}

export interface TasksTable {
  id: Generated<string>;
  org_id: string;
  title: string;
  notes: string | null;
  due_at: NullableTimestamp;
  done_at: NullableTimestamp;
  assignee_id: string | null;
  contact_id: string | null;
  deal_id: string | null;
  created_by: string | null;
  /** The email a follow-up task is about (a no-reply reminder's). */
  interaction_id: ColumnType<string | null, string | null | undefined, string | null>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AuditEventsTable {
  id: Generated<string>;
  org_id: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  at: Timestamp;
  details: Json;
}

export interface MailboxesTable {
  org_id: string;
  user_id: string;
  enabled: Generated<boolean>;
  opted_out: Generated<boolean>;
  status: Generated<"pending" | "ok" | "backing_off" | "failing">;
  last_run_at: NullableTimestamp;
  last_success_at: NullableTimestamp;
  last_error: string | null;
  failures: Generated<number>;
  retry_at: NullableTimestamp;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  updated_at: Timestamp;
}

export interface MailboxSyncTable {
  org_id: string;
  user_id: string;
  folder: "inbox" | "sentitems";
  link: string | null;
  link_kind: "next" | "delta" | null;
  backfill_from: Timestamp;
  last_run_at: NullableTimestamp;
  last_success_at: NullableTimestamp;
  messages_seen: Generated<number>;
  messages_logged: Generated<number>;
  restarts: Generated<number>;
}

export interface BlocklistEntriesTable {
  id: Generated<string>;
  org_id: string;
  user_id: string | null;
  /** Canonical: an address, or `@` and a domain. */
  entry: string;
  entry_as_written: AsWritten;
  created_by: string | null;
  created_at: Timestamp;
}

export interface CustomFieldDefinitionsTable {
  id: Generated<string>;
  org_id: string;
  entity: "contact" | "company" | "deal";
  key: string;
  label: string;
  type: "text" | "number" | "date" | "choice";
  choices: TextArray;
  required: Generated<boolean>;
  position: number;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/**
 * One rate per currency: what one unit of it is worth in the organisation's base currency. numeric(20, 10): the
 * driver would hand it over as a float, so it is read as text (`rate::text`) wherever it is shown.
 */
export interface ExchangeRatesTable {
  org_id: string;
  currency: string;
  rate: ColumnType<number, string, string>;
  set_at: Timestamp;
  set_by: string | null;
}

/** Amounts are numeric, read as text (`::text`) so no float ever holds them; written as text. */
export interface InvoicesTable {
  id: Generated<string>;
  org_id: string;
  external_id: string;
  number: string;
  company_id: string;
  deal_id: string | null;
  issue_date: string;
  due_date: string;
  amount: ColumnType<number, string, string>;
  currency: string;
  status: "open" | "paid" | "void" | "credited";
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PaymentsTable {
  id: Generated<string>;
  org_id: string;
  external_id: string;
  invoice_id: string;
  paid_on: string;
  amount: ColumnType<number, string, string>;
  currency: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The product catalogue (0020): numerics are read as text (`::text`) so no float ever holds a price. */
export interface ProductsTable {
  id: Generated<string>;
  org_id: string;
  code: string;
  name: string;
  unit: string | null;
  tax_rate: ColumnType<number, string, string>;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One price of a product per currency. */
export interface ProductPricesTable {
  org_id: string;
  product_id: string;
  currency: string;
  amount: ColumnType<number, string, string>;
}

/** A deal's line items, in their order; each in the deal's currency (0020). */
export interface DealLinesTable {
  id: Generated<string>;
  org_id: string;
  deal_id: string;
  position: number;
  product_id: string | null;
  name: string;
  unit: string | null;
  quantity: ColumnType<number, string, string>;
  unit_price: ColumnType<number, string, string>;
  discount_percent: ColumnType<number, string, string>;
  tax_rate: ColumnType<number, string, string>;
  currency: string;
}

/** An email template: the organisation's (`owner_id` null, admins write it) or one rep's own. */
export interface TemplatesTable {
  id: Generated<string>;
  org_id: string;
  scope: "organization" | "personal";
  owner_id: string | null;
  name: string;
  folder: string | null;
  tags: TextArray;
  archived_at: NullableTimestamp;
  created_by: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
/** A template's text in one language; the HTML is stored sanitised. */
export interface TemplateVariantsTable {
  org_id: string;
  template_id: string;
  language: Language;
  subject: string;
  html: string;
}
/** A logged email a template wrote: one per email. */
export interface TemplateUsesTable {
  org_id: string;
  interaction_id: string;
  template_id: string;
  used_by: string | null;
  used_at: Timestamp;
}
export interface WebFormsTable {
  id: Generated<string>;
  org_id: string;
  public_id: string;
  signing_key: Buffer;
  name: string;
  title: string | null;
  /** FormField[] (src/shared/web-forms.ts), in the order the page shows them. */
  fields: ColumnType<
    { target: string; label: string; labels: Record<string, string>; required: boolean }[],
    string,
    string
  >;
  consent_version: number | null;
  after_submit: ColumnType<
    { kind: "message"; message: string } | { kind: "redirect"; url: string },
    string,
    string
  >;
  owner_kind: "user" | "roundRobin";
  allowed_origins: TextArray;
  /** Submissions taken so far: a round robin's next turn. */
  turns: ColumnType<number, number | undefined, number>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebFormOwnersTable {
  org_id: string;
  form_id: string;
  user_id: string;
  position: number;
}

export interface WebFormConsentsTable {
  org_id: string;
  form_id: string;
  version: number;
  text: string;
  created_at: Timestamp;
}

/** A no-reply follow-up of one logged outgoing email (migration 0016). */
export interface FollowUpsTable {
  id: Generated<string>;
  org_id: string;
  interaction_id: string;
  owner_id: string;
  contact_id: string | null;
  deal_id: string | null;
  days: number;
  time_zone: string;
  due_at: Timestamp;
  state: ColumnType<"waiting" | "fired" | "cancelled", "waiting" | "fired" | "cancelled" | undefined>;
  task_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The inbound email that answered it, which settled it. */
  reply_id: ColumnType<string | null, string | null | undefined, string | null>;
  settled_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebFormTokenUsesTable {
  org_id: string;
  form_id: string;
  token_id: string;
  uses: Generated<number>;
  expires_at: Timestamp;
}

export interface LeadsTable {
  id: Generated<string>;
  org_id: string;
  form_id: string | null;
  contact_id: string | null;
  company_id: string | null;
  owner_id: string | null;
  task_id: string | null;
  page_url: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  consent_version: number | null;
  consent_text: string | null;
  submitted: ColumnType<Record<string, string>, string | undefined, string>;
  created_at: Timestamp;
}

/** Rapport's own credentials of a user (migration 0011); the address is unique in the whole store. */
export interface AccountsTable {
  user_id: string;
  org_id: string;
  /** Canonical. */
  email: string;
  /** scrypt$N$r$p$salt$hash (base64url); null for an account without a password. */
  password_hash: string | null;
  password_changed_at: NullableTimestamp;
  created_at: Timestamp;
}

/** A one-time link into the organisation: only the SHA-256 of its token is kept. */
export interface InvitationsTable {
  id: Generated<string>;
  org_id: string;
  email: string;
  role: "admin" | "member";
  token_hash: string;
  /** null: the command line (npm run admin). */
  invited_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
  accepted_by: string | null;
  revoked_at: NullableTimestamp;
}

export interface PasswordResetsTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  token_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export type SessionEndReason =
  | "signed_out"
  | "signed_out_everywhere"
  | "ended_by_user"
  | "refresh_reused"
  | "deactivated"
  | "password_reset"
  | "password_changed"
  | "microsoft365_only";

/** One sign-in on one device: the family of refresh tokens that follow each other. */
export interface SessionsTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  user_agent: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp;
  expires_at: Timestamp;
  ended_at: NullableTimestamp;
  end_reason: SessionEndReason | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  session_id: string;
  org_id: string;
  created_at: Timestamp;
  /** Set when the token was used and replaced by the next: presenting it again ends the family. */
  replaced_at: NullableTimestamp;
}

/** A WebAuthn credential (a passkey) of a user: its public key (COSE) and the authenticator's signature counter. */
export interface PasskeysTable {
  id: Generated<string>;
  org_id: string;
  user_id: string;
  /** base64url, as WebAuthn names it. */
  credential_id: string;
  public_key: Buffer;
  counter: ColumnType<number, number | undefined, number>;
  transports: TextArray;
  name: string | null;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
}

/** A challenge given to one WebAuthn ceremony; used once. */
export interface WebauthnChallengesTable {
  challenge: string;
  purpose: "registration" | "authentication";
  user_id: string | null;
  expires_at: Timestamp;
}

/** The key pair Rapport signs its own access tokens with; no organisation's, never read by requests. */
export interface SigningKeysTable {
  kid: string;
  private_jwk: Json;
  public_jwk: Json;
  created_at: Timestamp;
}

export interface OccasionRulesTable {
  id: Generated<string>;
  org_id: string;
  scope: "organization" | "personal";
  owner_id: string | null;
  name: string;
  kind: "birthday" | "won_deal";
  /** won_deal: this many days after the win; null with `yearly`. */
  offset_days: number | null;
  yearly: Generated<boolean>;
  template_id: string;
  mode: Generated<"draft" | "send">;
  active: Generated<boolean>;
  created_by: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A rep who turned sending on for a rule from their own mailbox. */
export interface OccasionRuleSendersTable {
  org_id: string;
  rule_id: string;
  user_id: string;
  turned_on_at: Timestamp;
}

export interface OccasionMailsTable {
  id: Generated<string>;
  org_id: string;
  contact_id: string;
  rule_id: string | null;
  user_id: string;
  deal_id: string | null;
  /** birthday:<year>, won:<deal id>:<N>d or won:<deal id>:<N>y; unique per contact: the "never twice". */
  occasion_key: string;
  /** The rep's local day it is for (YYYY-MM-DD). */
  occasion_day: ColumnType<string, string, string>;
  kind: "birthday" | "won_deal";
  mode: "draft" | "send";
  state: Generated<"prepared" | "sending" | "drafted" | "sent" | "held" | "skipped">;
  reason: string | null;
  unfilled: TextArray;
  graph_message_id: string | null;
  attempts: Generated<number>;
  error: string | null;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookEndpointsTable {
  id: Generated<string>;
  org_id: string;
  url: string;
  /** Event types (src/shared/webhooks.ts). */
  events: TextArray;
  /** What deliveries are signed with: the server signs with it, so it is kept as is. */
  secret: string;
  active: Generated<boolean>;
  created_by: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookEventsTable {
  id: Generated<string>;
  org_id: string;
  /** Orders one record's events: their writes hold the record's row lock. */
  seq: ColumnType<number, never, never>;
  type: string;
  record_type: string;
  record_id: string;
  payload: Json;
  occurred_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  org_id: string;
  endpoint_id: string;
  event_id: string;
  /** The event's `seq`. */
  seq: number;
  /** `<record type>:<record id>`: deliveries of one record to one endpoint go in `seq` order. */
  record_key: string;
  state: Generated<"pending" | "delivered" | "failed">;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_attempt_at: NullableTimestamp;
  last_status: number | null;
  last_error: string | null;
  delivered_at: NullableTimestamp;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DB {
  organizations: OrganizationsTable;
  users: UsersTable;
  companies: CompaniesTable;
  contacts: ContactsTable;
  contact_emails: ContactEmailsTable;
  pipelines: PipelinesTable;
  stages: StagesTable;
  deals: DealsTable;
  deal_contacts: DealContactsTable;
  deal_stage_changes: DealStageChangesTable;
  deal_stage_stays: DealStageStaysTable;
  interaction_days: InteractionDaysTable;
  interactions: InteractionsTable;
  interaction_loggers: InteractionLoggersTable;
  interaction_participants: InteractionParticipantsTable;
  tasks: TasksTable;
  audit_events: AuditEventsTable;
  mailboxes: MailboxesTable;
  mailbox_sync: MailboxSyncTable;
  blocklist_entries: BlocklistEntriesTable;
  custom_field_definitions: CustomFieldDefinitionsTable;
  exchange_rates: ExchangeRatesTable;
  invoices: InvoicesTable;
  payments: PaymentsTable;
  products: ProductsTable;
  product_prices: ProductPricesTable;
  deal_lines: DealLinesTable;
  quote_templates: QuoteTemplatesTable;
  quotes: QuotesTable;
  templates: TemplatesTable;
  template_variants: TemplateVariantsTable;
  template_uses: TemplateUsesTable;
  web_forms: WebFormsTable;
  web_form_owners: WebFormOwnersTable;
  web_form_consents: WebFormConsentsTable;
  web_form_token_uses: WebFormTokenUsesTable;
  follow_ups: FollowUpsTable;
  leads: LeadsTable;
  accounts: AccountsTable;
  invitations: InvitationsTable;
  password_resets: PasswordResetsTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  occasion_rules: OccasionRulesTable;
  occasion_rule_senders: OccasionRuleSendersTable;
  occasion_mails: OccasionMailsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  segments: SegmentsTable;
  segment_members: SegmentMembersTable;
  segment_changes: SegmentChangesTable;
  rating_keys: RatingKeysTable;
  ratings: RatingsTable;
  erasures: ErasuresTable;
}

export type ContactRow = Selectable<ContactsTable>;
export type WebFormRow = Selectable<WebFormsTable>;
export type LeadRow = Selectable<LeadsTable>;
export type CompanyRow = Selectable<CompaniesTable>;
export type DealRow = Selectable<DealsTable>;
export type StageRow = Selectable<StagesTable>;
export type PipelineRow = Selectable<PipelinesTable>;
export type CustomFieldDefinitionRow = Selectable<CustomFieldDefinitionsTable>;
export type TaskRow = Selectable<TasksTable>;
export type InteractionRow = Selectable<InteractionsTable>;
export type NewInteraction = Insertable<InteractionsTable>;
export type TemplateRow = Selectable<TemplatesTable>;
export type ContactUpdateRow = Updateable<ContactsTable>;

/** An organisation's quote template and its quote counter (migration 0021): one row, made on first use. */
export interface QuoteTemplatesTable {
  org_id: string;
  company_name: Generated<string>;
  address: Generated<string>;
  vat_number: Generated<string>;
  contact: Generated<string>;
  validity_days: Generated<number>;
  /** The organisation's language: a quote for a contact without one is written in it. */
  language: ColumnType<Language, Language | undefined, Language>;
  /** The terms per language: `{ "en": "...", "sv": "..." }`. */
  terms: ColumnType<Partial<Record<Language, string>>, string | undefined, string>;
  logo: Buffer | null;
  logo_type: "image/png" | "image/jpeg" | null;
  last_number: Generated<number>;
  version: Generated<number>;
  updated_at: Timestamp;
}

/** A quote made from a deal's lines: its PDF and the lines it shows, as they were. */
export interface QuotesTable {
  id: Generated<string>;
  org_id: string;
  deal_id: string;
  number: number;
  version: number;
  language: Language;
  currency: string;
  total: ColumnType<string, string, string>;
  valid_until: ColumnType<string, string, string>;
  lines: ColumnType<unknown, string, string>;
  pdf: Buffer;
  created_by: string | null;
  created_at: Timestamp;
}

/**
 * A bigint column: node-postgres reads it as text and PGlite as a number, so queries cast it to text where they
 * read it and to bigint where they compare it.
 */
type BigIntColumn = ColumnType<string, string | number | undefined, string | number>;

/** A saved filter over contacts (0024), shared in the organisation; `last_seq` counts its membership changes. */
export interface SegmentsTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  description: string | null;
  filter: ColumnType<unknown, string, string>;
  created_by: string | null;
  last_seq: BigIntColumn;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The membership as last evaluated: no foreign key to contacts, so a deleted contact still leaves. */
export interface SegmentMembersTable {
  org_id: string;
  segment_id: string;
  contact_id: string;
  /** The primary address when the contact joined: what a platform knows them by when they leave. */
  email: string | null;
  joined_seq: BigIntColumn;
}

export interface SegmentChangesTable {
  org_id: string;
  segment_id: string;
  seq: BigIntColumn;
  contact_id: string;
  kind: "joined" | "left";
  email: string | null;
  at: Timestamp;
}

/** An organisation's key its survey links are signed with (migration 0023): made on first use. */
export interface RatingKeysTable {
  org_id: string;
  key: Buffer;
  created_at: Timestamp;
}

/** One answer to a survey link: replaced by a second answer through the same link while it is good. */
export interface RatingsTable {
  id: Generated<string>;
  org_id: string;
  link_id: string;
  contact_id: string;
  kind: "nps" | "csat";
  score: number;
  comment: string | null;
  language: Language;
  owner_id: string | null;
  sent_at: Date;
  expires_at: Date;
  answered_at: Date;
  created_at: Timestamp;
}

/**
 * An erasure under way (migration 0027): what carries it from one slice to the next and over a crash; deleted
 * with the contact by its last slice.
 */
export interface ErasuresTable {
  org_id: string;
  contact_id: string;
  requested_by: string;
  /** The names, addresses and phones the slices still scrub ({ names, addresses, phones }). */
  mentions: Json;
  /** The counts of the answer so far. */
  counts: Json;
  slices: Generated<number>;
  started_at: Timestamp;
  updated_at: Timestamp;
}
