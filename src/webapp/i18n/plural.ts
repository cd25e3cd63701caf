import { type Language, translate } from "../../shared/languages";
import { formatNumber } from "../format";

/** Which of its sentences a count takes in a language: one, few (Croatian's 2 to 4) or other. */
export function pluralForm(language: Language, count: number): "one" | "few" | "other" {
  const category = new Intl.PluralRules(language).select(count);
  return category === "one" || category === "few" ? category : "other";
}

/**
 * A count in a sentence of the language's plural form: English, Swedish, German and Norwegian have two ("1 row",
 * "3 rows"), Croatian three ("1 redak", "3 retka", "5 redaka", and "21 redak" again), so a catalogue gives a
 * `one`, a `few` and an `other` sentence (where a language has no `few`, it repeats `other`). `{count}` is the
 * number as the language writes it; other values fill the rest.
 */
export function countText(
  language: Language,
  count: number,
  forms: { one: string; few: string; other: string },
  values: Readonly<Record<string, string | number>> = {},
): string {
  const template = forms[pluralForm(language, count)];
  return translate(template, { ...values, count: formatNumber(count, 0) });
}
