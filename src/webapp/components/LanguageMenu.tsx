import { Option, useId } from "@fluentui/react-components";
import { LocalLanguageRegular } from "@fluentui/react-icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { LANGUAGES, LANGUAGE_NAMES, Language, translate } from "../../shared/languages";
import { errorDetail } from "../../client/problems";
import { useLanguage, useMessages } from "../i18n/language";
import { useWebApp } from "../services";
import { shellMessages } from "./shell-messages";
import { Dropdown } from "./choice-inputs";

/**
 * The language switch: the choice shows at once, is remembered on this browser and saved to the account, so the
 * user's other devices open in it too.
 */
export function LanguageMenu() {
  const { language, setLanguage } = useLanguage();
  const t = useMessages(shellMessages);
  const { api } = useWebApp();
  const queryClient = useQueryClient();
  const label = useId("language");
  const [failure, setFailure] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (next: Language) => api("updateMySettings", { body: { language: next } }),
    onSuccess: () => {
      setFailure(null);
      void queryClient.invalidateQueries({ queryKey: ["me"] });
    },
    onError: (error) => setFailure(errorDetail(error)),
  });
  return (
    <>
      <label id={label} hidden>
        {t.language}
      </label>
      <Dropdown
        aria-labelledby={label}
        title={t.language}
        expandIcon={<LocalLanguageRegular />}
        value={LANGUAGE_NAMES[language]}
        selectedOptions={[language]}
        onOptionSelect={(_, data) => {
          const next = Language.safeParse(data.optionValue);
          if (!next.success || next.data === language) return;
          setLanguage(next.data);
          save.mutate(next.data);
        }}
        style={{ minWidth: "9rem" }}
      >
        {LANGUAGES.map((code) => (
          <Option key={code} value={code} text={LANGUAGE_NAMES[code]}>
            <span lang={code}>{LANGUAGE_NAMES[code]}</span>
          </Option>
        ))}
      </Dropdown>
      {failure && (
        <span role="alert" style={{ maxWidth: "18rem" }}>
          {translate(t.languageNotSaved, { detail: failure })}
        </span>
      )}
    </>
  );
}
