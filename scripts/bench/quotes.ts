// A quote PDF (npm run bench -- --import, after the invoices: issue 18's money side in one mode): a deal of 20
// lines at two tax rates for a Croatian contact, the organisation's template with a logo and terms, and its quote
// made over HTTP again and again, each numbered, rendered with the embedded font and stored (goal ≤ 300 ms each).
import { performance } from "node:perf_hooks";
import { Quote } from "../../src/shared/quotes";
import { type Stats, summarize } from "./stats";

export interface QuoteBenchReport {
  lines: number;
  firstMs: number;
  stats: Stats;
  pdfKb: number;
  goalMs: number;
}

const QUOTES = 30;
const LINES = 20;
const GOAL_MS = 300;
/** A 1×1 PNG: the logo's embedding is timed, not a photograph's decoding. */
const LOGO =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

export async function measureQuotes(options: { baseUrl: string; token: string }): Promise<QuoteBenchReport> {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${options.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const template = await call<{ version: number }>("GET", "/api/v1/quote-template");
  await call("PUT", "/api/v1/quote-template", {
    companyName: "Bench Øst AS",
    address: "Storgata 1\n0155 Oslo",
    vatNumber: "NO 987 654 321 MVA",
    contact: "salg@bench.example · +47 22 00 00 00",
    validityDays: 30,
    language: "en",
    terms: { hr: "Plaćanje u roku od 30 dana. Cijene su u eurima, bez PDV-a gdje nije drukčije navedeno." },
    version: template.version,
  });
  await call("PUT", "/api/v1/quote-template/logo", { content: LOGO });
  const company = await call<{ id: string }>("POST", "/api/v1/companies", {
    name: "Đakovo Čelik d.o.o.",
    address: "Ulica Žrtava 5\n31400 Đakovo",
  });
  const contact = await call<{ id: string }>("POST", "/api/v1/contacts", {
    displayName: "Ana Šarić",
    emails: [`ana.${Date.now()}@celik.bench.example`],
    companyId: company.id,
    language: "hr",
  });
  const deal = await call<{ id: string; version: number }>("POST", "/api/v1/deals", {
    name: "Licences Šibenik",
    companyId: company.id,
    contactIds: [contact.id],
  });
  await call("PUT", `/api/v1/deals/${deal.id}/lines`, {
    currency: "EUR",
    version: deal.version,
    lines: Array.from({ length: LINES }, (_, i) => ({
      name: `Stavka ${i + 1}: licenca ćevapčići Großkunde Å`,
      unit: "kom",
      quantity: String(1 + (i % 5)),
      unitPrice: `${100 + i * 37}.50`,
      discountPercent: i % 3 === 0 ? "10" : "0",
      taxRate: i % 2 === 0 ? "25" : "13",
    })),
  });
  const times: number[] = [];
  let pdfBytes = 0;
  for (let i = 0; i <= QUOTES; i++) {
    const started = performance.now();
    const quote = Quote.parse(await call("POST", `/api/v1/deals/${deal.id}/quotes`, {}));
    times.push(performance.now() - started);
    if (i === 0) {
      const pdf = await fetch(`${options.baseUrl}/api/v1/quotes/${quote.id}/pdf`, {
        headers: { authorization: `Bearer ${options.token}` },
      });
      pdfBytes = (await pdf.arrayBuffer()).byteLength;
    }
  }
  // The first quote of a process parses the font's file and compiles the code on the way: told apart.
  const [firstMs = Number.NaN, ...rest] = times;
  return {
    lines: LINES,
    firstMs,
    stats: summarize("quote PDF", rest),
    pdfKb: pdfBytes / 1024,
    goalMs: GOAL_MS,
  };
}

export function printQuotes(report: QuoteBenchReport, line: string): void {
  const ms = (value: number) => `${value.toFixed(0)} ms`.padStart(10);
  console.log(
    `${`quote PDF, ${report.lines} lines, logo, Croatian (first)`.padEnd(50)}${ms(report.firstMs)}   ${report.pdfKb.toFixed(0)} KB`,
  );
  console.log(
    `${`quote PDF, the next ${report.stats.samples} (p50 / p95 / max)`.padEnd(50)}${ms(report.stats.p50)}${ms(report.stats.p95)}${ms(report.stats.max)}   ` +
      `goal ≤ ${report.goalMs} ms: ${report.stats.p95 <= report.goalMs ? "met" : "MISSED"}`,
  );
  console.log(line);
}
