import { defineMessages } from "../../shared/languages";

/** What a currency list says around the codes (the codes and their names come from ISO 4217 and Intl). */
export const currencyDropdownMessages = defineMessages(
  {
    commonCurrencies: "Common currencies",
    allCurrencies: "All currencies",
    notIsoCode: "{code} (not an ISO 4217 code)",
  },
  {
    sv: {
      commonCurrencies: "Vanliga valutor",
      allCurrencies: "Alla valutor",
      notIsoCode: "{code} (ingen ISO 4217-kod)",
    },
    de: {
      commonCurrencies: "Gängige Währungen",
      allCurrencies: "Alle Währungen",
      notIsoCode: "{code} (kein ISO-4217-Code)",
    },
    nb: {
      commonCurrencies: "Vanlige valutaer",
      allCurrencies: "Alle valutaer",
      notIsoCode: "{code} (ikke en ISO 4217-kode)",
    },
    hr: {
      commonCurrencies: "Uobičajene valute",
      allCurrencies: "Sve valute",
      notIsoCode: "{code} (nije kod ISO 4217)",
    },
  },
);
