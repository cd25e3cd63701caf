import { defineMessages } from "../shared/languages";

/** The few words the formatters write themselves, around a figure. */
export const formatMessages = defineMessages(
  {
    amountWithoutCurrency: "{amount} (no currency)",
  },
  {
    sv: { amountWithoutCurrency: "{amount} (ingen valuta)" },
    de: { amountWithoutCurrency: "{amount} (keine Währung)" },
    nb: { amountWithoutCurrency: "{amount} (ingen valuta)" },
    hr: { amountWithoutCurrency: "{amount} (bez valute)" },
  },
);
