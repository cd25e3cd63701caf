import { ApiError } from "../../src/client/problems";
import type { DealWithStage } from "../../src/shared/deals";
import { Problem } from "../../src/shared/errors";
import { lineTotals } from "../../src/shared/line-totals";
import { DealLines, Product, ProductImportResult } from "../../src/shared/products";
import type { RouteName } from "../../src/shared/routes";

const now = "2026-11-20T09:30:00.000Z";
const id = (n: number) => `7d000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const problem = (status: number, code: Problem["code"], detail: string, extra: Partial<Problem> = {}) =>
  new ApiError(status, Problem.parse({ type: "about:blank", title: code, status, detail, code, ...extra }));

/** The product catalogue and the deals' lines as the fake server holds them. */
export interface FakeProducts {
  products: Product[];
  /** By deal id; a deal not here has no lines. */
  dealLines: Record<string, DealLines>;
  /** What the next import answers: its counts, or the refusal (422 naming the lines). */
  nextImport: ProductImportResult | ApiError;
}

export const PRODUCTS_UNHANDLED = Symbol("not a product route");

/** A product as the server answers it. */
export function product(fields: {
  n: number;
  code: string;
  name: string;
  prices?: { currency: string; amount: string }[];
  taxRate?: string;
  unit?: string | null;
  active?: boolean;
}): Product {
  return Product.parse({
    id: id(fields.n),
    code: fields.code,
    name: fields.name,
    unit: fields.unit ?? null,
    prices: fields.prices ?? [],
    taxRate: fields.taxRate ?? "25",
    active: fields.active ?? true,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
}

export function fakeProducts(): FakeProducts {
  return {
    products: [],
    dealLines: {},
    nextImport: { rows: 0, created: 0, updated: 0, unchanged: 0, dryRun: false },
  };
}

/**
 * The catalogue's and the lines' routes, answered as the server does: admins write products (version checked);
 * a deal's lines are replaced whole, counted with the shared line totals, and the deal takes their sum.
 */
export function handleProducts(
  state: FakeProducts,
  role: "admin" | "member",
  deals: { get(): DealWithStage[]; set(deals: DealWithStage[]): void },
  name: RouteName,
  params: Record<string, string> | undefined,
  query: Record<string, string>,
  body: Record<string, unknown> | undefined,
): unknown {
  const findProduct = () => {
    const found = state.products.find((p) => p.id === params?.id);
    if (!found) throw problem(404, "not_found", "The product does not exist.");
    return found;
  };
  const findDeal = () => {
    const found = deals.get().find((d) => d.id === params?.id);
    if (!found) throw problem(404, "not_found", "The deal does not exist.");
    return found;
  };
  const linesOf = (deal: DealWithStage): DealLines =>
    state.dealLines[deal.id] ?? {
      dealId: deal.id,
      currency: deal.currency,
      version: deal.version,
      lines: [],
      totals: lineTotalsOf([], deal.currency ?? "EUR"),
    };
  switch (name) {
    case "listProducts": {
      const q = (query.q ?? "").toLowerCase();
      const items = state.products
        .filter((p) => !q || p.name.toLowerCase().includes(q) || p.code.toLowerCase().includes(q))
        .filter((p) => !query.active || String(p.active) === query.active)
        .sort((a, b) => a.name.localeCompare(b.name));
      return { items, nextCursor: null };
    }
    case "createProduct": {
      if (role !== "admin") throw problem(403, "forbidden", "Only admins manage the catalogue.");
      if (state.products.some((p) => p.code.toLowerCase() === String(body?.code).toLowerCase()))
        throw problem(409, "product_code_taken", "Another product has this code.");
      const created = Product.parse({
        ...product({ n: 100 + state.products.length, code: "", name: "" }),
        ...body,
      });
      state.products = [...state.products, created];
      return created;
    }
    case "updateProduct": {
      if (role !== "admin") throw problem(403, "forbidden", "Only admins manage the catalogue.");
      const found = findProduct();
      if (body?.version !== found.version)
        throw problem(409, "version_conflict", "The product changed meanwhile.", { current: found });
      const { version: _read, ...changes } = body ?? {};
      const updated = Product.parse({ ...found, ...changes, version: found.version + 1 });
      state.products = state.products.map((p) => (p === found ? updated : p));
      return updated;
    }
    case "importProducts": {
      if (role !== "admin") throw problem(403, "forbidden", "Only admins manage the catalogue.");
      if (state.nextImport instanceof ApiError) throw state.nextImport;
      return state.nextImport;
    }
    case "getDealLines":
      return linesOf(findDeal());
    case "replaceDealLines": {
      const deal = findDeal();
      if (body?.version !== deal.version)
        throw problem(409, "version_conflict", "The deal changed meanwhile.", { current: linesOf(deal) });
      const currency = String(body?.currency);
      const sent = (body?.lines ?? []) as {
        productId?: string;
        name: string;
        unit?: string | null;
        quantity: string;
        unitPrice: string;
        discountPercent: string;
        taxRate: string;
      }[];
      const totals = lineTotalsOf(sent, currency);
      const updated = {
        ...deal,
        currency,
        ...(sent.length > 0 ? { amount: Number(totals.net) } : {}),
        version: deal.version + 1,
      };
      deals.set(deals.get().map((d) => (d === deal ? updated : d)));
      const lines = DealLines.parse({
        dealId: deal.id,
        currency,
        version: updated.version,
        lines: sent.map((l, i) => ({
          id: id(500 + i),
          productId: l.productId ?? null,
          productCode: state.products.find((p) => p.id === l.productId)?.code ?? null,
          name: l.name,
          unit: l.unit ?? null,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          discountPercent: l.discountPercent,
          taxRate: l.taxRate,
          net: lineTotals([l], currency).net,
        })),
        totals,
      });
      state.dealLines[deal.id] = lines;
      return lines;
    }
    default:
      return PRODUCTS_UNHANDLED;
  }
}

function lineTotalsOf(
  lines: { quantity: string; unitPrice: string; discountPercent: string; taxRate: string }[],
  currency: string,
) {
  const { net, taxes, tax, total } = lineTotals(lines, currency);
  return { net, taxes, tax, total };
}
