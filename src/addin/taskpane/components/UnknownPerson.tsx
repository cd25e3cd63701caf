import { Badge, Persona } from "@fluentui/react-components";
import type { Suggestion } from "../../../shared/people";
import { useI18n } from "../i18n/i18n";

/** Someone Rapport does not know yet, with what the email tells about them. */
export function UnknownPerson({ email, suggestion }: { email: string; suggestion: Suggestion | null }) {
  const { t } = useI18n();
  return (
    <div>
      <Persona
        size="large"
        name={suggestion?.displayName ?? email}
        secondaryText={email}
        tertiaryText={suggestion?.company ? t("worksAt", { company: suggestion.company.name }) : undefined}
      />
      <Badge appearance="tint" color="informative">
        {t("notInRapport")}
      </Badge>
    </div>
  );
}
