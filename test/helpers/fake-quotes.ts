import { ApiError } from "../../src/client/problems";
import type { DealWithStage } from "../../src/shared/deals";
import { Problem } from "../../src/shared/errors";
import type { DealLines } from "../../src/shared/products";
import { Quote, QuoteTemplate } from "../../src/shared/quotes";
import type { RouteName } from "../../src/shared/routes";

const now = "2026-11-20T09:30:00.000Z";
const id = (n: number) => `7e000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const problem = (status: number, code: Problem["code"], detail: string, extra: Partial<Problem> = {}) =>
  new ApiError(status, Problem.parse({ type: "about:blank", title: code, status, detail, code, ...extra }));

/** The quote template and the deals' quotes as the fake server holds them. */
export interface FakeQuotes {
  template: QuoteTemplate;
  /** By deal id, newest first. */
  quotes: Record<string, Quote[]>;
}

export const QUOTES_UNHANDLED = Symbol("not a quote route");

export function fakeQuotes(): FakeQuotes {
  return {
    template: QuoteTemplate.parse({
      companyName: "",
      address: "",
      vatNumber: "",
      contact: "",
      validityDays: 30,
      language: "en",
      terms: {},
      logo: null,
      version: 0,
    }),
    quotes: {},
  };
}

/** The quote routes as the server answers them: admins set the template; a deal without lines gets no quote. */
export function handleQuotes(
  state: FakeQuotes,
  role: "admin" | "member",
  deals: DealWithStage[],
  linesOf: (dealId: string) => DealLines | undefined,
  name: RouteName,
  params: Record<string, string> | undefined,
  body: Record<string, unknown> | undefined,
): unknown {
  const findDeal = () => {
    const found = deals.find((d) => d.id === params?.id);
    if (!found) throw problem(404, "not_found", "The deal does not exist.");
    return found;
  };
  switch (name) {
    case "getQuoteTemplate":
      return state.template;
    case "updateQuoteTemplate": {
      if (role !== "admin") throw problem(403, "forbidden", "Only an admin sets the quote template.");
      if (body?.version !== state.template.version)
        throw problem(409, "version_conflict", "The template changed.", { current: state.template });
      const { version: _read, ...fields } = body;
      state.template = QuoteTemplate.parse({
        ...state.template,
        ...fields,
        version: state.template.version + 1,
      });
      return state.template;
    }
    case "setQuoteLogo": {
      if (role !== "admin") throw problem(403, "forbidden", "Only an admin sets the quotes' logo.");
      const content = body?.content as string | null;
      const bytes = content === null ? 0 : Buffer.from(content, "base64").length;
      state.template = QuoteTemplate.parse({
        ...state.template,
        logo: content === null ? null : { mediaType: "image/png", bytes },
        version: state.template.version + 1,
      });
      return state.template;
    }
    case "listDealQuotes":
      return { items: state.quotes[findDeal().id] ?? [] };
    case "createQuote": {
      const deal = findDeal();
      const lines = linesOf(deal.id);
      if (!lines || lines.lines.length === 0)
        throw problem(422, "invalid_request", "deal.lines: the deal has no lines", {
          errors: [{ path: "deal.lines", message: "the deal has no lines" }],
        });
      const all = Object.values(state.quotes).flat();
      const existing = state.quotes[deal.id] ?? [];
      const number = all.length + 1;
      const quote = Quote.parse({
        id: id(number),
        dealId: deal.id,
        number,
        version: existing.length + 1,
        language: state.template.language,
        currency: lines.currency,
        total: lines.totals.total,
        validUntil: "2026-12-20",
        lines: lines.lines.map(
          ({ name: lineName, unit, quantity, unitPrice, discountPercent, taxRate, net }) => ({
            name: lineName,
            unit,
            quantity,
            unitPrice,
            discountPercent,
            taxRate,
            net,
          }),
        ),
        createdBy: { id: id(900), displayName: "Rita Rep" },
        createdAt: now,
        filename: `quote-${number}.pdf`,
      });
      state.quotes[deal.id] = [quote, ...existing];
      return quote;
    }
    default:
      return QUOTES_UNHANDLED;
  }
}
