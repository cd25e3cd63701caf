import {
  LANGUAGES,
  defineMessages,
  languageOf,
  localeFor,
  preferredLanguage,
  translate,
} from "../../src/shared/languages";
import { webAppCatalogues } from "../helpers/catalogues";

describe("the five languages", () => {
  it("reads a browser's or Outlook's language tag as one of ours, Norwegian in bokmål, else none", () => {
    expect(languageOf("sv-SE")).toBe("sv");
    expect(languageOf("de-AT")).toBe("de");
    expect(languageOf("no")).toBe("nb");
    expect(languageOf("nn-NO")).toBe("nb");
    expect(languageOf("HR")).toBe("hr");
    expect(languageOf("fr-FR")).toBeNull();
    expect(languageOf("")).toBeNull();
  });

  it("takes the first of the browser's languages that Rapport speaks, English when none", () => {
    expect(preferredLanguage(["fr-FR", "hr-HR", "en-US"])).toBe("hr");
    expect(preferredLanguage(["fr-FR"])).toBe("en");
    expect(preferredLanguage([])).toBe("en");
  });

  it("writes in the browser's own variant of the language, else in the language's home country", () => {
    expect(localeFor("de", ["de-CH", "en"])).toBe("de-CH");
    expect(localeFor("de", ["en-US"])).toBe("de-DE");
    expect(localeFor("nb", ["no"])).toBe("nb-NO");
    expect(localeFor("en", ["en-US"])).toBe("en-US");
  });

  it("fills a template's values and leaves nothing of a missing one", () => {
    expect(translate("{count} kontakter från {file}", { count: 3, file: "a.csv" })).toBe(
      "3 kontakter från a.csv",
    );
    expect(translate("Hej {name}!")).toBe("Hej !");
  });

  it("does not compile a catalogue that misses a key or has one English does not", () => {
    const en = { save: "Save", saved: "Saved {when}" };
    const full = { save: "", saved: "" };
    defineMessages(en, { sv: full, de: full, nb: full, hr: full });
    // @ts-expect-error: Croatian lacks "saved"
    defineMessages(en, { sv: full, de: full, nb: full, hr: { save: "Spremi" } });
    // @ts-expect-error: Swedish has a key English does not
    defineMessages(en, { sv: { ...full, extra: "" }, de: full, nb: full, hr: full });
  });
});

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the web app's catalogues", () => {
  it("give every language the same placeholders as English, and no empty text", async () => {
    const catalogues = await webAppCatalogues();
    expect(catalogues.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const { file, name, messages } of catalogues)
      for (const [key, english] of Object.entries(messages.en))
        for (const language of LANGUAGES) {
          const text = messages[language][key];
          if (typeof text !== "string" || text.trim() === "")
            problems.push(`${file} ${name}.${language}.${key} is empty`);
          else if (placeholders(text).join() !== placeholders(english).join())
            problems.push(`${file} ${name}.${language}.${key}: ${text} (English: ${english})`);
        }
    expect(problems).toEqual([]);
  });
});

describe("the pane's catalogues", () => {
  it("loads the display language's catalogue on its own, English for a language we do not speak", async () => {
    const { catalogueFor, createI18n, loadCatalogue } = await import("../../src/addin/core/i18n");
    expect(catalogueFor("nn-NO")).toBe("nb");
    expect(catalogueFor("fr-FR")).toBe("en");
    const swedish = createI18n("sv-SE", await loadCatalogue("sv-SE"));
    expect(swedish.t("logEmail")).toBe("Logga det här mejlet");
    const croatian = createI18n("hr-HR", await loadCatalogue("hr"));
    expect(croatian.t("logEmail")).toBe("Zabilježi ovu e-poruku");
    expect(createI18n("fr-FR", await loadCatalogue("fr-FR")).t("logEmail")).toBe("Log this email");
  });
});
