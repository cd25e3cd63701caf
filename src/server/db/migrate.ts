import { type Kysely, type Migration, Migrator } from "kysely";
import type { DB } from "./tables";
import { schemaChanged } from "./prepared";
import * as initial from "./migrations/0001_initial";
import * as rapportKey from "./migrations/0002_rapport_key";
import * as mailboxSync from "./migrations/0003_mailbox_sync";
import * as orgWall from "./migrations/0004_org_wall";
import * as adminSettings from "./migrations/0005_admin_settings";
import * as baseCurrency from "./migrations/0006_base_currency";
import * as canonicalAddresses from "./migrations/0007_canonical_addresses";
import * as rapportKeyOwner from "./migrations/0008_rapport_key_owner";
import * as adminGrants from "./migrations/0009_admin_grants";
import * as userLanguage from "./migrations/0010_user_language";
import * as ownAccounts from "./migrations/0011_own_accounts";
import * as templates from "./migrations/0012_templates";
import * as webForms from "./migrations/0013_web_forms";
import * as invoicesPayments from "./migrations/0014_invoices_payments";
import * as webFormTokenUses from "./migrations/0015_web_form_token_uses";
import * as followUps from "./migrations/0016_follow_ups";
import * as occasionMails from "./migrations/0017_occasion_mails";
import * as microsoft365Only from "./migrations/0018_microsoft365_only";
import * as webhooks from "./migrations/0019_webhooks";
import * as productsLineItems from "./migrations/0020_products_line_items";
import * as quotes from "./migrations/0021_quotes";
import * as webhookDuePerEndpoint from "./migrations/0022_webhook_due_per_endpoint";
import * as ratings from "./migrations/0023_ratings";
import * as segments from "./migrations/0024_segments";
import * as reportRollups from "./migrations/0025_report_rollups";
import * as contactLastInteraction from "./migrations/0026_contact_last_interaction";
import * as meetings from "./migrations/0027_meetings";
import * as interactionLinks from "./migrations/0028_interaction_links";
import * as duplicates from "./migrations/0029_duplicates";
import * as graphSubscriptions from "./migrations/0030_graph_subscriptions";
import * as dealSummaries from "./migrations/0031_deal_summaries";
import * as erasures from "./migrations/0032_erasures";
import * as meetingUidPerOrganizer from "./migrations/0033_meeting_uid_per_organizer";
import * as erasedAddresses from "./migrations/0034_erased_addresses";

/** In code rather than read from a folder, so that the bundle, tsx and jest all see the same list. */
export const migrations: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_rapport_key": rapportKey,
  "0003_mailbox_sync": mailboxSync,
  "0004_org_wall": orgWall,
  "0005_admin_settings": adminSettings,
  "0006_base_currency": baseCurrency,
  "0007_canonical_addresses": canonicalAddresses,
  "0008_rapport_key_owner": rapportKeyOwner,
  "0009_admin_grants": adminGrants,
  "0010_user_language": userLanguage,
  "0011_own_accounts": ownAccounts,
  "0012_templates": templates,
  "0013_web_forms": webForms,
  "0014_invoices_payments": invoicesPayments,
  "0015_web_form_token_uses": webFormTokenUses,
  "0016_follow_ups": followUps,
  "0017_occasion_mails": occasionMails,
  "0018_microsoft365_only": microsoft365Only,
  "0019_webhooks": webhooks,
  "0020_products_line_items": productsLineItems,
  "0021_quotes": quotes,
  "0022_webhook_due_per_endpoint": webhookDuePerEndpoint,
  "0023_ratings": ratings,
  "0024_segments": segments,
  "0025_report_rollups": reportRollups,
  "0026_contact_last_interaction": contactLastInteraction,
  "0027_meetings": meetings,
  "0028_interaction_links": interactionLinks,
  "0029_duplicates": duplicates,
  "0030_graph_subscriptions": graphSubscriptions,
  "0031_deal_summaries": dealSummaries,
  "0032_erasures": erasures,
  "0033_meeting_uid_per_organizer": meetingUidPerOrganizer,
  "0034_erased_addresses": erasedAddresses,
};

export class MigrationError extends Error {
  constructor(
    readonly migration: string | undefined,
    cause: unknown,
  ) {
    super(
      `Migration ${migration ?? "(unknown)"} failed: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        "The store was left as it was before the migration.",
      { cause },
    );
  }
}

/**
 * Brings the store up to date. On PostgreSQL (and PGlite) Kysely runs the pending migrations in one
 * transaction, so a failure leaves the store exactly as it was.
 */
export async function migrateToLatest(
  db: Kysely<DB>,
  list: Record<string, Migration> = migrations,
): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => list } });
  // Whatever happened (a failed migration's changes are rolled back, its prepared statements are not), no
  // statement prepared before or during this run is used after it.
  const { error, results = [] } = await migrator.migrateToLatest().finally(schemaChanged);
  if (error) {
    const failed = results.find((r) => r.status === "Error");
    throw new MigrationError(failed?.migrationName, error);
  }
  return results.filter((r) => r.status === "Success").map((r) => r.migrationName);
}
