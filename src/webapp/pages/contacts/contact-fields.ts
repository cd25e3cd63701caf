import type { Contact } from "../../../shared/contacts";
import { useCustomFieldDefinitions } from "../../../ui/custom-fields/useCustomFieldDefinitions";
import { useLinkedNames } from "../../lists/linked-records";
import { useUserOptions } from "../../lists/options";
import {
  type FieldSpec,
  choiceField,
  customField,
  linkField,
  listField,
  textField,
} from "../../lists/record-fields";
import { useWebApp } from "../../services";
import { type Catalogue, LANGUAGES, LANGUAGE_NAMES } from "../../../shared/languages";
import { useMessages } from "../../i18n/language";
import type { FilterOption } from "../../lists/FilterDropdown";
import { listMessages } from "../../lists/list-messages";
import { contactMessages } from "./contact-messages";

export const LIFECYCLE_STAGES = ["lead", "prospect", "customer", "former"] as const;

/** The lifecycle stages as choices, named in the reader's language. */
export const lifecycleStageOptions = (t: Catalogue<keyof typeof contactMessages.en>): FilterOption[] =>
  LIFECYCLE_STAGES.map((stage) => ({ value: stage, label: t[stage] }));

/** A contact's fields and the organisation's contact custom fields, as its page and the new contact's form show them. */
export function useContactFields(): FieldSpec<Contact>[] {
  const { api } = useWebApp();
  const definitions = useCustomFieldDefinitions(api, "contact");
  const users = useUserOptions();
  const nameOf = useLinkedNames();
  const t = useMessages(contactMessages);
  const lists = useMessages(listMessages);
  return [
    textField("displayName", t.name, (c) => c.displayName, { required: true }),
    textField("firstName", t.firstName, (c) => c.firstName),
    textField("lastName", t.lastName, (c) => c.lastName),
    textField("title", t.jobTitle, (c) => c.title),
    linkField("companyId", t.company, { kind: "company" }, (c) => c.companyId, nameOf),
    listField("emails", t.emailAddresses, (c) => c.emails, t.emailsHint),
    listField("phones", t.phones, (c) => c.phones, lists.separatedByCommas),
    choiceField("lifecycleStage", t.lifecycleStage, lifecycleStageOptions(t), (c) => c.lifecycleStage, {
      required: true,
    }),
    listField("tags", t.tags, (c) => c.tags, lists.separatedByCommas),
    choiceField("ownerId", t.owner, users.options, (c) => c.ownerId),
    // Which of a template's languages the contact gets; none: the rep's.
    choiceField(
      "language",
      t.language,
      LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] })),
      (c) => c.language ?? null,
    ),
    birthdayField(t.birthday, t.birthdayHint),
    {
      key: "noAutomatedMail",
      label: t.automatedMail,
      input: "choice",
      choices: [
        { value: "false", label: t.automatedMailAllowed },
        { value: "true", label: t.noAutomatedMail },
      ],
      text: (c) => String(c.noAutomatedMail ?? false),
      value: (text) => ({ value: text === "true" }),
      shown: (c) => (c.noAutomatedMail ? t.noAutomatedMail : t.automatedMailAllowed),
    },
    // A marketing platform's unsubscribe sets it too; no segment counts, exports or syncs the contact.
    {
      key: "noMarketing",
      label: t.marketing,
      input: "choice",
      choices: [
        { value: "false", label: t.marketingAllowed },
        { value: "true", label: t.noMarketing },
      ],
      text: (c) => String(c.noMarketing ?? false),
      value: (text) => ({ value: text === "true" }),
      shown: (c) => (c.noMarketing ? t.noMarketing : t.marketingAllowed),
    },
    textField("country", t.country, (c) => c.country ?? null, { hint: t.countryHint }),
    ...definitions.map((d) => customField<Contact>(d)),
  ];
}

const BIRTHDAY = /^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$/;

/**
 * A birthday as one text: `MM-DD`, or `YYYY-MM-DD` when the year is known (ISO 8601's order, the same in every
 * language). The server says whether the day exists (29 February only in a leap year).
 */
function birthdayField(label: string, hint: string): FieldSpec<Contact> {
  const textOf = (c: Contact) => {
    const b = c.birthday;
    if (!b) return "";
    const md = `${String(b.month).padStart(2, "0")}-${String(b.day).padStart(2, "0")}`;
    return b.year ? `${b.year}-${md}` : md;
  };
  return {
    key: "birthday",
    label,
    input: "text",
    hint,
    text: textOf,
    value: (text) => {
      const trimmed = text.trim();
      if (trimmed === "") return { value: null };
      const match = BIRTHDAY.exec(trimmed);
      if (!match) return { invalid: "dateTime" };
      const [, year, month, day] = match;
      return { value: { day: Number(day), month: Number(month), year: year ? Number(year) : null } };
    },
    shown: (c) => textOf(c) || null,
  };
}
