import {
  BaseCurrencyUpdate,
  Currencies,
  CurrencyParams,
  ExchangeRate,
  ExchangeRateDeleted,
  ExchangeRateSet,
} from "../currencies";
import type { RouteContract } from "./contract";

/** The base currency reports convert into, and the exchange rates to it. */
export const currencyRoutes = {
  getCurrencies: {
    method: "GET",
    path: "/api/v1/currencies",
    summary:
      "The base currency reports convert into, the exchange rates to it (each with when and by whom it was set), and the currencies the deals are in",
    responses: { 200: Currencies },
  },
  updateBaseCurrency: {
    method: "PATCH",
    path: "/api/v1/currencies",
    summary:
      "Set the base currency (admins only); a new base removes every rate, since each was to the old one",
    body: BaseCurrencyUpdate,
    responses: { 200: Currencies },
  },
  setExchangeRate: {
    method: "POST",
    path: "/api/v1/currencies/rates",
    summary:
      "Set a currency's rate to the base currency, dated now (admins only; 201 new, 200 replaced; a base changed meanwhile: 409 base_currency_changed)",
    body: ExchangeRateSet,
    responses: { 200: ExchangeRate, 201: ExchangeRate },
  },
  removeExchangeRate: {
    method: "DELETE",
    path: "/api/v1/currencies/rates/:currency",
    summary: "Remove a currency's rate: reports show it per currency again, unconverted (admins only)",
    params: CurrencyParams,
    responses: { 200: ExchangeRateDeleted },
  },
} as const satisfies Record<string, RouteContract>;
