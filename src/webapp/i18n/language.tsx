import { type ReactNode, createContext, useCallback, useContext, useMemo, useState } from "react";
import {
  type Catalogue,
  type Language,
  type Messages,
  languageOf,
  localeFor,
  preferredLanguage,
} from "../../shared/languages";
import { setDisplayLocale } from "../format";
import type { ApiClient } from "../../client/api-client";

const STORAGE_KEY = "rapport.language";
/** Set while this browser's choice has not reached the account (the save failed): the next visit saves it. */
const UNSAVED_KEY = "rapport.language.unsaved";

interface LanguageState {
  language: Language;
  /** Shows the web app in this language from now on, on this browser (the menu also saves it to the account). */
  setLanguage(language: Language): void;
  /** Whether the user picked the language on this page: the account's older choice no longer replaces it. */
  chosenHere: boolean;
  /** Shows the account's saved language (not a choice made here). */
  applyAccount(language: Language): void;
  /**
   * At sign-out: the next account's saved language wins again, and a choice this account never saved is not
   * saved to the next one. The page stays in the language it shows.
   */
  endAccount(): void;
}

const LanguageContext = createContext<LanguageState>({
  language: "en",
  setLanguage: () => {},
  chosenHere: false,
  applyAccount: () => {},
  endAccount: () => {},
});

/**
 * Saves this browser's choice to the account; once the account has it, nothing is left for a later visit to save.
 * A failure rejects with the server's answer and leaves the choice marked unsaved.
 */
export async function saveLanguage(api: ApiClient, language: Language): Promise<void> {
  await api("updateMySettings", { body: { language } });
  markChoiceUnsaved(false);
}

/** Whether this browser holds a language choice the account does not have yet. */
export function choiceUnsaved(): boolean {
  try {
    return window.localStorage.getItem(UNSAVED_KEY) === "1";
  } catch {
    return false;
  }
}

/** Notes whether this browser's choice still has to reach the account. */
export function markChoiceUnsaved(unsaved: boolean): void {
  try {
    if (unsaved) window.localStorage.setItem(UNSAVED_KEY, "1");
    else window.localStorage.removeItem(UNSAVED_KEY);
  } catch {
    // Not remembered: the account's language wins at the next visit, as before the choice.
  }
}

function browserTags(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

function rememberedLanguage(): Language | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored ? languageOf(stored) : null;
  } catch {
    // Storage refused (a private window's policy): the browser's language it is.
    return null;
  }
}

/** The language a page opens in: the one chosen on this browser, else the browser's first that Rapport speaks. */
export function initialLanguage(): Language {
  return rememberedLanguage() ?? preferredLanguage(browserTags());
}

function apply(language: Language): void {
  setDisplayLocale(localeFor(language, browserTags()));
  if (typeof document !== "undefined") document.documentElement.lang = language;
}

/** Everything the web app shows, in one of our five languages; dates, numbers and amounts in its locale. */
export function LanguageProvider({
  children,
  language: fixed,
}: {
  children: ReactNode;
  language?: Language;
}) {
  const [language, setState] = useState<Language>(() => fixed ?? initialLanguage());
  const [chosenHere, setChosenHere] = useState(false);
  // The formatters follow before anything below renders with them, on the first render too.
  useMemo(() => apply(language), [language]);
  const setLanguage = useCallback((next: Language) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered on this browser; the account still holds it.
    }
    setState(next);
  }, []);
  const choose = useCallback(
    (next: Language) => {
      setChosenHere(true);
      setLanguage(next);
    },
    [setLanguage],
  );
  const endAccount = useCallback(() => {
    setChosenHere(false);
    markChoiceUnsaved(false);
  }, []);
  const value = useMemo(
    () => ({ language, setLanguage: choose, chosenHere, applyAccount: setLanguage, endAccount }),
    [language, choose, chosenHere, setLanguage, endAccount],
  );
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export const useLanguage = (): LanguageState => useContext(LanguageContext);

/** A feature's words in the language the web app shows. */
export function useMessages<Keys extends string>(messages: Messages<Keys>): Catalogue<Keys> {
  return messages[useLanguage().language];
}
