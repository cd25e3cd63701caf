import { Option } from "@fluentui/react-components";
import type { StageKind } from "../../../shared/pipelines";
import { KINDS, KIND_WORDS } from "./pipeline-changes";
import { useMessages } from "../../i18n/language";
import { pipelinesMessages } from "./pipelines-messages";
import { Dropdown } from "../../components/choice-inputs";

/** Open, won or lost: how the reports and the day's deals read a stage. */
export function StageKindDropdown({
  kind,
  onKind,
  label,
}: {
  kind: StageKind;
  onKind: (kind: StageKind) => void;
  /** Where the dropdown has no field label of its own (a table cell). */
  label?: string;
}) {
  const t = useMessages(pipelinesMessages);
  return (
    <Dropdown
      aria-label={label}
      value={t[KIND_WORDS[kind]]}
      selectedOptions={[kind]}
      onOptionSelect={(_, d) => d.optionValue && onKind(d.optionValue as StageKind)}
    >
      {KINDS.map((k) => (
        <Option key={k} value={k}>
          {t[KIND_WORDS[k]]}
        </Option>
      ))}
    </Dropdown>
  );
}
