import { IdParams } from "../common";
import {
  Quote,
  QuoteCreate,
  QuoteList,
  QuoteLogoUpload,
  QuoteTemplate,
  QuoteTemplateUpdate,
} from "../quotes";
import type { RouteContract } from "./contract";

/** Quote documents: the organisation's template (admins) and a deal's quotes, each a numbered PDF. */
export const quoteRoutes = {
  getQuoteTemplate: {
    method: "GET",
    path: "/api/v1/quote-template",
    summary: "The organisation's quote template: our company's details, terms per language, validity, logo",
    responses: { 200: QuoteTemplate },
  },
  updateQuoteTemplate: {
    method: "PUT",
    path: "/api/v1/quote-template",
    summary:
      "Save the quote template (admins), with the version read (0 for one never saved; stale: 409 with the " +
      "current template)",
    body: QuoteTemplateUpdate,
    responses: { 200: QuoteTemplate },
  },
  setQuoteLogo: {
    method: "PUT",
    path: "/api/v1/quote-template/logo",
    summary:
      "Set the quotes' logo (admins): a PNG or JPEG of at most 512 KB in base64, checked by its bytes; null " +
      "removes it",
    body: QuoteLogoUpload,
    responses: { 200: QuoteTemplate },
    bodyLimit: 1024 * 1024,
  },
  createQuote: {
    method: "POST",
    path: "/api/v1/deals/:id/quotes",
    summary:
      "Make a quote PDF of a deal's lines in the customer's language, numbered for the organisation and kept " +
      "as the deal's next version (a deal without lines: 422 naming deal.lines)",
    params: IdParams,
    body: QuoteCreate,
    responses: { 201: Quote },
  },
  listDealQuotes: {
    method: "GET",
    path: "/api/v1/deals/:id/quotes",
    summary: "A deal's quotes, newest version first",
    params: IdParams,
    responses: { 200: QuoteList },
  },
  downloadQuote: {
    method: "GET",
    path: "/api/v1/quotes/:id/pdf",
    summary: "A quote's PDF, as it was made (an attachment)",
    params: IdParams,
    responses: {},
    file: "pdf",
  },
} as const satisfies Record<string, RouteContract>;
