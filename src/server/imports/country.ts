import type { Kysely } from "kysely";
import type { DB } from "../db/tables";

// Where an import's phones written without a country code are from, when the request does not say: the importing
// user's country, as Rapport knows it. An organisation has no country of its own; a user has the time zone of
// their mailbox (set from Outlook) and the language they chose. A zone names one country where a language may
// name several (German is spoken in three), so the zone is asked first.
//
// Only the countries the duplicate rules know a calling code for (rapport_calling_code, migration 0029), and the
// US and Canada, whose ten-digit national numbers the rules read too: another country would give no key anyway.

const COUNTRY_OF_ZONE: Readonly<Record<string, string>> = {
  "Europe/Stockholm": "SE",
  "Europe/Oslo": "NO",
  "Arctic/Longyearbyen": "NO",
  "Europe/Copenhagen": "DK",
  "Europe/Helsinki": "FI",
  "Atlantic/Reykjavik": "IS",
  "Europe/Berlin": "DE",
  "Europe/Busingen": "DE",
  "Europe/Vienna": "AT",
  "Europe/Zurich": "CH",
  "Europe/Zagreb": "HR",
  "Europe/Ljubljana": "SI",
  "Europe/Sarajevo": "BA",
  "Europe/Belgrade": "RS",
  "Europe/London": "GB",
  "Europe/Dublin": "IE",
  "Europe/Amsterdam": "NL",
  "Europe/Brussels": "BE",
  "Europe/Paris": "FR",
  "Europe/Madrid": "ES",
  "Europe/Rome": "IT",
  "Europe/Warsaw": "PL",
  "Europe/Prague": "CZ",
  "Europe/Budapest": "HU",
  "Europe/Tallinn": "EE",
  "Europe/Riga": "LV",
  "Europe/Vilnius": "LT",
  "Europe/Lisbon": "PT",
  "Australia/Sydney": "AU",
  "Australia/Melbourne": "AU",
  "Australia/Brisbane": "AU",
  "Australia/Perth": "AU",
  "Australia/Adelaide": "AU",
  "Pacific/Auckland": "NZ",
  "America/New_York": "US",
  "America/Chicago": "US",
  "America/Denver": "US",
  "America/Phoenix": "US",
  "America/Los_Angeles": "US",
  "America/Anchorage": "US",
  "Pacific/Honolulu": "US",
  "America/Toronto": "CA",
  "America/Vancouver": "CA",
  "America/Edmonton": "CA",
  "America/Winnipeg": "CA",
  "America/Halifax": "CA",
};

/** The languages spoken in one country above all (English and German are not). */
const COUNTRY_OF_LANGUAGE: Readonly<Record<string, string>> = { sv: "SE", nb: "NO", hr: "HR" };

/** The importing user's country by their time zone, else their language; null when neither says. */
export async function importingUserCountry(
  db: Kysely<DB>,
  orgId: string,
  userId: string,
): Promise<string | null> {
  const user = await db
    .selectFrom("users")
    .select(["time_zone", "language"])
    .where("org_id", "=", orgId)
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) return null;
  return (
    (user.time_zone ? COUNTRY_OF_ZONE[user.time_zone] : undefined) ??
    (user.language ? COUNTRY_OF_LANGUAGE[user.language] : undefined) ??
    null
  );
}
