import type { Page } from "playwright-core";
import type { Language } from "../../src/shared/languages";
import { webAppCatalogues } from "../helpers/catalogues";

/**
 * Everyday English that no translated page should hold outside its data: caught even where it was never put in a
 * catalogue. A word the language also writes ("in" in German, "for" in Norwegian) is left out below.
 */
const EVERYDAY_ENGLISH = (
  "the and with your you from this that are not all none per by of Add New Save Edit Delete Remove Cancel " +
  "Search Loading Open Close Done Today Contacts Companies Deals Tasks Reports Settings Amount Stage Owner " +
  "Name Phone Title Company Due Overdue Won Lost Total Currency Yes No"
).split(" ");

/**
 * What a walk through the web app in another language must not show: every English text of the web app's
 * catalogues that this language writes differently ("Status" or "Admin" may be the same word). Found by file
 * name, so a new catalogue is checked without being listed.
 */
export async function englishTextsNotIn(language: Language, data: readonly string[] = []): Promise<string[]> {
  const catalogues = await webAppCatalogues();
  const texts = new Set<string>();
  for (const { messages } of catalogues)
    for (const [key, english] of Object.entries(messages.en)) {
      if (messages[language][key] === english) continue;
      // A template is looked for by its fixed words: "{count} contacts" by "contacts".
      for (const part of english.split(/\{\w+\}/)) {
        const words = part.trim().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
        if (/\p{L}{3,}/u.test(words)) texts.add(words);
      }
    }
  for (const word of EVERYDAY_ENGLISH) texts.add(word);
  // Names and data aside: a stage an admin named "Won" is theirs, not a word we forgot.
  for (const name of data) texts.delete(name);
  const own = catalogues.flatMap(({ messages }) => Object.values(messages[language]));
  const shared = alsoWordsOf(own, [...texts]);
  return [...texts].filter((text) => !shared.has(text));
}

/**
 * What the page shows a person and a screen reader (its text, and its labels, titles, placeholders and alt texts),
 * with the records' own words (names, titles, subjects, notes: `data`) taken out, longest first.
 */
export async function shownText(page: Page, data: readonly string[] = []): Promise<string> {
  const shown = await page.evaluate(() => {
    const attributes = [...document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")].flatMap(
      (element) =>
        ["aria-label", "title", "placeholder", "alt"].map((name) => element.getAttribute(name) ?? ""),
    );
    return [document.body.innerText, ...attributes, document.title].join("\n");
  });
  return [...data]
    .sort((a, b) => b.length - a.length)
    .reduce((text, datum) => text.replace(wholeWords(datum, "gu"), " ◦ "), shown);
}

/**
 * Every text a JSON answer holds that a person wrote (names, titles, subjects, notes), but ids, instants and the
 * contract's own lower-case values ("in", "email", "customer"), which the page shows in words of its own.
 */
export function textsOf(value: unknown): string[] {
  if (typeof value === "string")
    return /\p{L}{2,}/u.test(value) &&
      !/^[0-9a-f-]{36}$|^\d{4}-\d{2}-\d{2}/.test(value) &&
      !/^[\p{Ll}_-]+$/u.test(value)
      ? [value]
      : [];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (value && typeof value === "object") return Object.values(value).flatMap(textsOf);
  return [];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A text as a whole word or phrase, never a piece of a longer word ("Deals" is not in "Dealsuche"). */
function wholeWords(text: string, flags = "u"): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escape(text)}(?![\\p{L}\\p{N}])`, flags);
}

/**
 * The English texts the page shows, each as a whole word or phrase (so "Deals" is not found in "Dealsuche"), with
 * a little of what surrounds it, to find it by.
 */
export function englishIn(shown: string, english: readonly string[]): string[] {
  return english.flatMap((text) => {
    const match = wholeWords(text).exec(shown);
    if (!match) return [];
    const around = shown
      .slice(Math.max(0, match.index - 30), match.index + text.length + 30)
      .replace(/\s+/g, " ");
    return [`${text} («${around}»)`];
  });
}

/**
 * The English texts that are words of the language too ("Import" in Swedish, "Email" in Croatian): found in one
 * of the language's own catalogue texts, they say nothing about a missed translation.
 */
export function alsoWordsOf(own: readonly string[], english: readonly string[]): Set<string> {
  const all = own.join("\n");
  return new Set(english.filter((text) => englishIn(all, [text]).length > 0));
}

/** Waits until a page has drawn what it loads: its heading is there and nothing in it is still loading. */
export async function settled(page: Page): Promise<void> {
  await page.locator("main h1, main h2").first().waitFor();
  await page.waitForFunction(
    () => document.querySelectorAll('main [role="progressbar"]').length === 0,
    null,
    {
      timeout: 20_000,
    },
  );
}
