import type { Mailbox } from "../office/mailbox";
import { unfilledFieldsIn } from "../../shared/unfilled-fields";

// Classic Outlook's launchevent.js runs this as well: one ES2016 file that fetches no chunk, so the warning's words
// are here in the five languages rather than in the pane's catalogues.

type WarningLanguage = "en" | "sv" | "de" | "nb" | "hr";

const WARNINGS: Record<WarningLanguage, string> = {
  en: "This email still has merge fields without a value ({count}): {fields}. Fill them in, or send it as it is.",
  sv: "Mejlet har fortfarande kopplingsfält utan värde ({count}): {fields}. Fyll i dem eller skicka det som det är.",
  de: "Diese E-Mail enthält noch Seriendruckfelder ohne Wert ({count}): {fields}. Füllen Sie sie aus oder senden Sie sie so.",
  nb: "E-posten har fortsatt flettefelt uten verdi ({count}): {fields}. Fyll dem ut, eller send den som den er.",
  hr: "Ova e-poruka još ima polja za spajanje bez vrijednosti ({count}): {fields}. Ispunite ih ili je pošaljite takvu kakva jest.",
};

/** Outlook shows at most 500 characters of a Smart Alerts message. */
const MAX_MESSAGE_CHARS = 500;

function languageOf(displayLanguage: string): WarningLanguage {
  const primary = displayLanguage.toLowerCase().split(/[-_]/)[0] ?? "en";
  const language = primary === "no" || primary === "nn" ? "nb" : primary;
  // Own keys only (`in` finds Object's `constructor`); hasOwnProperty, since classic Outlook's runtime is ES2016.
  return Object.prototype.hasOwnProperty.call(WARNINGS, language) ? (language as WarningLanguage) : "en";
}

/** The Smart Alerts sentence for these fields, in Outlook's display language, within Outlook's length. */
export function unfilledWarning(fields: readonly string[], displayLanguage: string): string {
  const sentence = WARNINGS[languageOf(displayLanguage)];
  const room = MAX_MESSAGE_CHARS - sentence.length;
  let names = fields.join(", ");
  if (names.length > room) names = `${names.slice(0, Math.max(0, room - 1))}…`;
  return sentence.replace("{count}", String(fields.length)).replace("{fields}", names);
}

/**
 * The warning that holds a draft back on send while it shows a merge field without a value (what a template put
 * in and the rep has not filled), or null to let it go. Outlook offers "Send anyway" beside it.
 */
export async function unfilledFieldsHold(mailbox: Mailbox): Promise<string | null> {
  const fields = unfilledFieldsIn(await mailbox.readBodyText());
  return fields.length > 0 ? unfilledWarning(fields, mailbox.displayLanguage()) : null;
}
