import { currencyDecimals } from "./currencies";

// What a list of priced lines comes to: each line's amount before tax, the sum (a deal's amount), the tax per
// rate and the total. The deal's lines, the web app's lines editor and the quote document all count with this
// one function, so what a rep sees while editing is what the server stores and what the customer reads.
//
// Exact decimal arithmetic on integers (BigInt): a price of 0.1 times 3 is 0.3, never 0.30000000000000004.
// Each line is rounded to the currency's decimals (half away from zero), and the sum is the sum of the rounded
// lines, so the lines shown always add up to the amount shown; each rate's tax is its lines' sum times the rate,
// rounded once, as an invoice states it.

/** A line as the totals need it: decimals as text ("2", "1499.50", "10", "25"). */
export interface PricedLine {
  quantity: string;
  unitPrice: string;
  /** 0–100. */
  discountPercent: string;
  /** 0–100. */
  taxRate: string;
}

export interface RateTotal {
  /** The rate, as a percentage with trailing zeros dropped ("25", "12.5", "0"). */
  rate: string;
  /** The lines at this rate, before tax. */
  net: string;
  tax: string;
}

export interface LineTotals {
  /** Each line's quantity × unit price × (1 − discount), rounded to the currency's decimals, in order. */
  lineNets: string[];
  /** The sum of lineNets: the amount before tax (a deal's amount). */
  net: string;
  /** Per tax rate, highest first. */
  taxes: RateTotal[];
  tax: string;
  /** net + tax. */
  total: string;
}

// Quantities and prices have at most 4 decimals, percentages 2 (the schemas refuse more).
const QUANTITY_SCALE = 4;
const PRICE_SCALE = 4;
const PERCENT_SCALE = 2;

/** A decimal as an integer of `scale` decimals: "12.5" at scale 2 is 1250n. Extra decimals are cut, never read. */
function scaled(text: string, scale: number): bigint {
  const negative = text.startsWith("-");
  const [whole = "0", fraction = ""] = (negative ? text.slice(1) : text).split(".");
  const value = BigInt(`${whole || "0"}${fraction.padEnd(scale, "0").slice(0, scale)}`);
  return negative ? -value : value;
}

/** n / d rounded half away from zero. */
function divideRounded(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const a = n < 0n ? -n : n;
  const b = d < 0n ? -d : d;
  const q = (a + b / 2n) / b;
  return negative ? -q : q;
}

/** An integer of `scale` decimals as text with exactly that many: 1250n at 2 is "12.50". */
function text(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${whole}${scale > 0 ? `.${fraction}` : ""}`;
}

/** A percentage without trailing zeros: "25.00" → "25", "12.50" → "12.5". */
export function plainPercent(rate: string): string {
  const [whole = "0", fraction = ""] = text(scaled(rate, PERCENT_SCALE), PERCENT_SCALE).split(".");
  const kept = fraction.replace(/0+$/, "");
  return kept ? `${whole}.${kept}` : whole;
}

/** One line's amount before tax, in the currency's decimals. */
export function lineNet(line: PricedLine, currency: string): string {
  const decimals = currencyDecimals(currency);
  return text(lineNetMinor(line, decimals), decimals);
}

function lineNetMinor(line: PricedLine, decimals: number): bigint {
  const hundredPercent = 100n * 10n ** BigInt(PERCENT_SCALE);
  const exact =
    scaled(line.quantity, QUANTITY_SCALE) *
    scaled(line.unitPrice, PRICE_SCALE) *
    (hundredPercent - scaled(line.discountPercent, PERCENT_SCALE));
  const exactScale = QUANTITY_SCALE + PRICE_SCALE + PERCENT_SCALE + 2; // + 2: the percent's hundred
  return divideRounded(exact * 10n ** BigInt(decimals), 10n ** BigInt(exactScale));
}

export function lineTotals(lines: readonly PricedLine[], currency: string): LineTotals {
  const decimals = currencyDecimals(currency);
  const nets = lines.map((line) => lineNetMinor(line, decimals));
  const byRate = new Map<bigint, bigint>();
  lines.forEach((line, i) => {
    const rate = scaled(line.taxRate, PERCENT_SCALE);
    byRate.set(rate, (byRate.get(rate) ?? 0n) + (nets[i] as bigint));
  });
  const hundredPercent = 100n * 10n ** BigInt(PERCENT_SCALE);
  const taxes = [...byRate]
    .sort(([a], [b]) => (a > b ? -1 : a < b ? 1 : 0))
    .map(([rate, net]) => ({ rate, net, tax: divideRounded(net * rate, hundredPercent) }));
  const net = nets.reduce((sum, n) => sum + n, 0n);
  const tax = taxes.reduce((sum, t) => sum + t.tax, 0n);
  return {
    lineNets: nets.map((n) => text(n, decimals)),
    net: text(net, decimals),
    taxes: taxes.map((t) => ({
      rate: plainPercent(text(t.rate, PERCENT_SCALE)),
      net: text(t.net, decimals),
      tax: text(t.tax, decimals),
    })),
    tax: text(tax, decimals),
    total: text(net + tax, decimals),
  };
}
