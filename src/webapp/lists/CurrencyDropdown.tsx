import { Option, OptionGroup } from "@fluentui/react-components";
import type { currencyChoices } from "../../shared/currencies";
import { currencyLabel } from "../format";
import { translate } from "../../shared/languages";
import { useMessages } from "../i18n/language";
import { currencyDropdownMessages } from "./currency-dropdown-messages";
import { listMessages } from "./list-messages";
import { Dropdown } from "../components/choice-inputs";

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
  disabled,
}: {
  currencies: ReturnType<typeof currencyChoices>;
  required: boolean;
  /** The code chosen, or "" for none. */
  value: string;
  onValue(code: string): void;
  autoFocus?: boolean;
  disabled?: boolean;
}) {
  const t = useMessages(currencyDropdownMessages);
  const lists = useMessages(listMessages);
  const known = value === "" || currencies.common.includes(value) || currencies.other.includes(value);
  return (
    <Dropdown
      value={value ? currencyLabel(value) : lists.notSet}
      selectedOptions={[value]}
      onOptionSelect={(_, d) => onValue(d.optionValue ?? "")}
      autoFocus={autoFocus}
      disabled={disabled}
    >
      {!required && <Option value="">{lists.notSet}</Option>}
      {!known && <Option value={value}>{translate(t.notIsoCode, { code: value })}</Option>}
      <OptionGroup label={t.commonCurrencies}>
        {currencies.common.map((code) => (
          <Option key={code} value={code}>
            {currencyLabel(code)}
          </Option>
        ))}
      </OptionGroup>
      <OptionGroup label={t.allCurrencies}>
        {currencies.other.map((code) => (
          <Option key={code} value={code}>
            {currencyLabel(code)}
          </Option>
        ))}
      </OptionGroup>
    </Dropdown>
  );
}
