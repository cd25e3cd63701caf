import { z } from "zod";

/** The languages Rapport speaks: our users' (English, Swedish, German, Norwegian bokmål, Croatian). */
export const LANGUAGES = ["en", "sv", "de", "nb", "hr"] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

/** Each language in its own words, as a language menu lists them. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  sv: "Svenska",
  de: "Deutsch",
  nb: "Norsk bokmål",
  hr: "Hrvatski",
};

// "no" and "nn" (Norwegian, Nynorsk) read best in bokmål of the five; English is the fallback for the rest.
const ALIASES: Record<string, Language> = { no: "nb", nn: "nb" };

/** A BCP 47 tag ("nb-NO", "sv", "de-AT") as one of our languages, or null when we do not speak it. */
export function languageOf(tag: string): Language | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/, 1)[0] ?? "";
  const language = ALIASES[primary] ?? primary;
  return Language.safeParse(language).success ? (language as Language) : null;
}

/** The first of the browser's languages that we speak (navigator.languages is in the user's order). */
export function preferredLanguage(tags: readonly string[]): Language {
  for (const tag of tags) {
    const language = languageOf(tag);
    if (language) return language;
  }
  return "en";
}

/**
 * The locale dates, numbers and amounts are written in: the browser's own tag when it is of the chosen language
 * (a Swiss German keeps de-CH's apostrophes), else the language's home country.
 */
export function localeFor(language: Language, browserTags: readonly string[] = []): string {
  const own = browserTags.find((tag) => languageOf(tag) === language && tag.includes("-"));
  if (own) return own;
  return { en: "en-GB", sv: "sv-SE", de: "de-DE", nb: "nb-NO", hr: "hr-HR" }[language];
}

/** English is the source; every other language must give every key (the compiler checks). */
export type Catalogue<Keys extends string> = Record<Keys, string>;
export type Messages<Keys extends string> = Record<Language, Catalogue<Keys>>;

/**
 * A feature's words in the five languages: English first, then each translation typed against its keys, so a
 * key added to English fails to compile until every language has it, and a key no longer in English too.
 */
export function defineMessages<const Keys extends string>(
  en: Catalogue<Keys>,
  translations: { [L in Exclude<Language, "en">]: NoInfer<Catalogue<Keys>> },
): Messages<Keys> {
  return { en, ...translations };
}

/** "{count} contacts" with its values; a missing value leaves nothing rather than the placeholder's name. */
export function translate(template: string, values: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    return value === undefined ? "" : String(value);
  });
}
