import { Dropdown, Option, OptionGroup } from "@fluentui/react-components";
import type { currencyChoices } from "../../shared/currencies";
import { currencyLabel } from "../format";

/**
 * A currency picked from a list, never typed: the server takes ISO 4217 codes only. The organisation's base
 * currency and the common ones come first; every other code follows, found by typing its first letters as in
 * any list. A code stored before codes were checked is still shown, so that editing a deal does not hide it.
 * Put it in a Fluent `Field`, which labels it.
 */
export function CurrencyDropdown({
  currencies,
  required,
  value,
  onValue,
  autoFocus,
}: {
  currencies: ReturnType<typeof currencyChoices>;
  required: boolean;
  /** The code chosen, or "" for none. */
  value: string;
  onValue(code: string): void;
  autoFocus?: boolean;
}) {
  const known = value === "" || currencies.common.includes(value) || currencies.other.includes(value);
  return (
    <Dropdown
      value={value ? currencyLabel(value) : "Not set"}
      selectedOptions={[value]}
      onOptionSelect={(_, d) => onValue(d.optionValue ?? "")}
      autoFocus={autoFocus}
    >
      {!required && <Option value="">Not set</Option>}
      {!known && <Option value={value}>{`${value} (not an ISO 4217 code)`}</Option>}
      <OptionGroup label="Common currencies">
        {currencies.common.map((code) => (
          <Option key={code} value={code}>
            {currencyLabel(code)}
          </Option>
        ))}
      </OptionGroup>
      <OptionGroup label="All currencies">
        {currencies.other.map((code) => (
          <Option key={code} value={code}>
            {currencyLabel(code)}
          </Option>
        ))}
      </OptionGroup>
    </Dropdown>
  );
}
