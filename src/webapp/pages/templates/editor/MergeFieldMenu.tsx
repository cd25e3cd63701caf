import {
  Menu,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  ToolbarButton,
} from "@fluentui/react-components";
import { BracesRegular } from "@fluentui/react-icons/svg/braces";
import { useQuery } from "@tanstack/react-query";
import { translate } from "../../../../shared/languages";
import { MERGE_FIELDS, type MergeField } from "../../../../shared/merge-fields";
import { useMessages } from "../../../i18n/language";
import { useWebApp } from "../../../services";
import { editorMessages, mergeFieldMessages } from "./editor-messages";

type Group = "contact" | "company" | "deal" | "sender" | "date" | "survey";

const groupOf = (field: MergeField): Group =>
  field === "today" ? "date" : field.startsWith("rep.") ? "sender" : (field.split(".")[0] as Group);

const GROUPS: readonly Group[] = ["contact", "company", "deal", "sender", "date", "survey"];

/** Every merge field a template may name, by record, and the organisation's custom fields; a choice inserts it. */
export function MergeFieldMenu({
  disabled,
  onOpen,
  onInsert,
}: {
  disabled: boolean;
  onOpen(): void;
  onInsert(name: string): void;
}) {
  const { api } = useWebApp();
  const t = useMessages(editorMessages);
  const labels = useMessages(mergeFieldMessages);
  // The same query as the custom field settings: the organisation's definitions, any member may read them.
  const custom = useQuery({ queryKey: ["customFields"], queryFn: () => api("listCustomFields", {}) });
  const customFields = custom.data?.items ?? [];
  return (
    <Menu onOpenChange={(_, d) => d.open && onOpen()}>
      <MenuTrigger disableButtonEnhancement>
        <ToolbarButton icon={<BracesRegular />} disabled={disabled}>
          {t.mergeField}
        </ToolbarButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {GROUPS.map((group) => (
            <MenuGroup key={group}>
              <MenuGroupHeader>{t[group]}</MenuGroupHeader>
              {MERGE_FIELDS.filter((field) => groupOf(field) === group).map((field) => (
                <MenuItem key={field} secondaryContent={`{{${field}}}`} onClick={() => onInsert(field)}>
                  {labels[field]}
                </MenuItem>
              ))}
            </MenuGroup>
          ))}
          {customFields.length > 0 && (
            <MenuGroup>
              <MenuGroupHeader>{t.customFields}</MenuGroupHeader>
              {customFields.map((field) => {
                const name = `${field.entity}.custom.${field.key}`;
                return (
                  <MenuItem key={field.id} secondaryContent={`{{${name}}}`} onClick={() => onInsert(name)}>
                    {translate(t.customField, { record: t[field.entity], label: field.label })}
                  </MenuItem>
                );
              })}
            </MenuGroup>
          )}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
