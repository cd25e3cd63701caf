import type { CustomFieldDefinition } from "../../../shared/custom-fields";
import { translate } from "../../../shared/languages";
import { FORM_COMPANY_FIELDS, FORM_CONTACT_FIELDS } from "../../../shared/web-forms";
import { useMessages } from "../../i18n/language";
import { webFormsMessages } from "./web-forms-messages";

const OWN_FIELDS = new Set<string>([
  ...FORM_CONTACT_FIELDS.map((f) => `contact.${f}`),
  ...FORM_COMPANY_FIELDS.map((f) => `company.${f}`),
]);
type OwnField =
  `contact.${(typeof FORM_CONTACT_FIELDS)[number]}` | `company.${(typeof FORM_COMPANY_FIELDS)[number]}`;

/** Where a field goes, in the reader's words: "First name", "Interest (contact)". */
export function useTargetLabel(customFields: readonly CustomFieldDefinition[]): (target: string) => string {
  const t = useMessages(webFormsMessages);
  return (target) => {
    if (OWN_FIELDS.has(target)) return t[target as OwnField];
    const custom = /^(contact|company)\.custom\.(.+)$/u.exec(target);
    const definition = custom && customFields.find((d) => d.entity === custom[1] && d.key === custom[2]);
    if (!custom || !definition) return translate(t.unknownTarget, { target });
    return translate(custom[1] === "contact" ? t.contactCustom : t.companyCustom, {
      label: definition.label,
    });
  };
}
