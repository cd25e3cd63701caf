import { type ReactNode, createContext, useContext, useMemo } from "react";
import { type I18n, createI18n } from "../../core/i18n";
import type { Catalogue } from "../../core/messages/en";

// The pane's handle on the catalogue lookup of core/i18n.ts; the commands call createI18n directly.
const I18nContext = createContext<I18n>(createI18n("en-US"));

export function I18nProvider({
  displayLanguage,
  catalogue,
  children,
}: {
  displayLanguage: string;
  /** The display language's catalogue, loaded before the first paint (core/i18n loadCatalogue). */
  catalogue?: Catalogue;
  children: ReactNode;
}) {
  const i18n = useMemo(() => createI18n(displayLanguage, catalogue), [displayLanguage, catalogue]);
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);
