import { Field, Option } from "@fluentui/react-components";
import { Dropdown } from "../components/choice-inputs";

export interface FilterOption {
  value: string;
  label: string;
}

/** One of a list's filters: a choice among its options, or all of them. */
export function FilterDropdown({
  label,
  all,
  options,
  value,
  onSelect,
}: {
  label: string;
  /** What no filter is called ("Every stage"). */
  all: string;
  options: FilterOption[];
  value: string | undefined;
  onSelect(value: string | undefined): void;
}) {
  const selected = options.find((o) => o.value === value);
  return (
    <Field label={label}>
      <Dropdown
        value={selected?.label ?? all}
        selectedOptions={[value ?? ""]}
        onOptionSelect={(_, d) => onSelect(d.optionValue || undefined)}
      >
        <Option value="">{all}</Option>
        {options.map((o) => (
          <Option key={o.value} value={o.value}>
            {o.label}
          </Option>
        ))}
      </Dropdown>
    </Field>
  );
}
