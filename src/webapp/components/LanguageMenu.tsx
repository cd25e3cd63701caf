import { makeStyles, tokens, useId } from "@fluentui/react-components";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { LANGUAGES, LANGUAGE_NAMES, Language, translate } from "../../shared/languages";
import { markChoiceUnsaved, saveLanguage, useLanguage, useMessages } from "../i18n/language";
import { useWebApp } from "../services";
import { useProblemLine } from "./problem-messages";
import { shellMessages } from "./shell-messages";

const useStyles = makeStyles({
  select: {
    minHeight: "32px",
    padding: `0 ${tokens.spacingHorizontalS}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderBottomColor: tokens.colorNeutralStrokeAccessible,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
  },
});

/**
 * The language switch: the choice shows at once, is remembered on this browser and saved to the account, so the
 * user's other devices open in it too. The browser's own select, in the theme's colours: it is on every page's
 * first paint, and Fluent's Dropdown would bring its popup's positioning into the web app's first download.
 */
export function LanguageMenu() {
  const styles = useStyles();
  const { language, setLanguage } = useLanguage();
  const t = useMessages(shellMessages);
  const { api } = useWebApp();
  const queryClient = useQueryClient();
  const label = useId("language");
  // The failure itself, put in words as the page renders: in the language just chosen.
  const [failure, setFailure] = useState<unknown>(null);
  const problemLine = useProblemLine();
  const choose = (value: string) => {
    const next = Language.safeParse(value);
    if (!next.success || next.data === language) return;
    setLanguage(next.data);
    markChoiceUnsaved(true);
    saveLanguage(api, next.data).then(
      () => {
        setFailure(null);
        void queryClient.invalidateQueries({ queryKey: ["me"] });
      },
      (error: unknown) => setFailure(error ?? new Error("not saved")),
    );
  };
  return (
    <>
      <label id={label} hidden>
        {t.language}
      </label>
      <select
        className={styles.select}
        aria-labelledby={label}
        title={t.language}
        value={language}
        onChange={(event) => choose(event.target.value)}
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </select>
      {failure !== null && (
        <span role="alert" style={{ maxWidth: "18rem" }}>
          {translate(t.languageNotSaved, { detail: problemLine(failure) })}
        </span>
      )}
    </>
  );
}
