// The task pane's share of `npm run bench`: the production bundle's size, and the time from selecting an email
// to its sender's profile painted, in Chromium, with the real pane on a store the bench seeded.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import HtmlWebpackPlugin from "html-webpack-plugin";
import { type Browser, chromium } from "playwright-core";
import type webpack from "webpack";
import type { LocalIssuer } from "../../src/server/auth/local-issuer";
import { domainOf } from "../../src/shared/email-address";
import { build, productionConfig } from "../webpack-build";
import { type Stats, summarize } from "./stats";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ROOT = path.resolve(__dirname, "../..");
const WARMUP_SELECTIONS = 5;

export interface Size {
  files: number;
  raw: number;
  gzip: number;
}

export interface BundleReport {
  /** What Outlook loads before the pane can paint: the taskpane entry's own files. */
  initial: Size;
  /** Chunks fetched on first use (unknown sender, quick action forms, the Office.js mailbox). */
  lazy: Size;
  /** What each named import() loads, with the vendor code split out for it (the web app's "charts", say). */
  chunks: Record<string, Size>;
  /** With `{ modules: true }`: the source files in `initial`, relative to the repository ("node_modules/…" too). */
  initialModules?: string[];
}

export interface PaneReport {
  bundle: BundleReport;
  /** The web app at /app: its entry, and its pages and charts loaded on first use. */
  webapp?: BundleReport;
  selection: Stats | { skipped: string };
}

const sizeOf = (dir: string, files: Iterable<string>): Size => {
  const js = [...files].filter((f) => f.endsWith(".js"));
  const contents = js.map((f) => readFileSync(path.join(dir, f)));
  return {
    files: js.length,
    raw: contents.reduce((sum, c) => sum + c.length, 0),
    gzip: contents.reduce((sum, c) => sum + gzipSync(c, { level: 9 }).length, 0),
  };
};

/** The source files in an entry's own chunks, the ones webpack concatenated into one module included. */
function initialModulesOf(stats: webpack.Stats, entry: string): string[] {
  const json = stats.toJson({
    all: false,
    ids: true,
    entrypoints: true,
    chunks: true,
    chunkModules: true,
    chunkModulesSpace: Infinity,
    nestedModules: true,
    nestedModulesSpace: Infinity,
    // Without it, a production build lists only the root of each set of modules concatenated into one.
    dependentModules: true,
  });
  const initial = new Set(json.entrypoints?.[entry]?.chunks ?? []);
  const names = new Set<string>();
  const open = (module: webpack.StatsModule) => {
    const name = module.nameForCondition;
    if (name) names.add(path.relative(ROOT, name).split(path.sep).join("/"));
    for (const inner of module.modules ?? []) open(inner);
  };
  for (const chunk of json.chunks ?? [])
    if (chunk.id !== undefined && initial.has(chunk.id)) for (const m of chunk.modules ?? []) open(m);
  return [...names].sort();
}

/** `npm run build` as it ships, measured per entry (the pane's, the web app's): its own files, and the chunks it loads later. */
export async function measureBundles<E extends string>(
  entries: readonly E[],
  options: { modules?: boolean } = {},
): Promise<Record<E, BundleReport>> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), "rapport-bundle-"));
  try {
    const config = productionConfig();
    const stats = await build({ ...config, devtool: false, output: { ...config.output, path: outDir } });
    return bundleReports(stats, outDir, entries, options);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** A production build's entries measured, from its stats and the directory it wrote (the manifest suite's build too). */
export function bundleReports<E extends string>(
  stats: webpack.Stats,
  outDir: string,
  entries: readonly E[],
  options: { modules?: boolean } = {},
): Record<E, BundleReport> {
  const reports = {} as Record<E, BundleReport>;
  for (const name of entries) {
    const entry = stats.compilation.entrypoints.get(name);
    if (!entry) throw new Error(`the webpack config has no ${name} entry`);
    const initial = new Set(entry.getFiles());
    const lazy = new Set<string>();
    const chunks: Record<string, Size> = {};
    const asyncChunks = entry.getEntrypointChunk().getAllAsyncChunks();
    for (const chunk of asyncChunks) for (const f of chunk.files) lazy.add(f);
    // A named import() with the vendor chunks it needs (split out, maybe shared with another import()).
    for (const [groupName, group] of stats.compilation.namedChunkGroups) {
      const own = group.chunks.find((c) => c.name === groupName);
      if (own && asyncChunks.has(own)) chunks[groupName] = sizeOf(outDir, group.getFiles());
    }
    reports[name] = { initial: sizeOf(outDir, initial), lazy: sizeOf(outDir, lazy), chunks };
    if (options.modules) reports[name].initialModules = initialModulesOf(stats, name);
  }
  return reports;
}

/** The bench page, built like production, served with the API next to it as the dev server would. */
async function servePanePage(apiBaseUrl: string, issuer: LocalIssuer) {
  const outDir = mkdtempSync(path.join(os.tmpdir(), "rapport-pane-bench-"));
  const config = productionConfig();
  await build({
    ...config,
    devtool: false,
    entry: { bench: path.join(__dirname, "pane-page.tsx") },
    output: { ...config.output, path: outDir },
    plugins: [
      new HtmlWebpackPlugin({ filename: "bench.html", template: "./src/addin/preview/preview.html" }),
    ],
  });

  const forward = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const name of ["authorization", "content-type", "accept"]) {
      const value = request.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const answer = await fetch(`${apiBaseUrl}${request.url ?? "/"}`, {
      method: request.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" });
    response.end(Buffer.from(await answer.arrayBuffer()));
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const fail = (error: unknown) => {
      response.writeHead(500).end(String(error));
    };
    if (url.pathname.startsWith("/api/")) return void forward(request, response).catch(fail);
    if (url.pathname === "/preview/token") {
      const email = url.searchParams.get("email") ?? "";
      return void issuer
        .sign({ email, org: domainOf(email) }, { expiresIn: "1h" })
        .then((token) =>
          response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token })),
        )
        .catch(fail);
    }
    const file = path.join(outDir, path.basename(url.pathname));
    if (!existsSync(file)) return void response.writeHead(404).end();
    const type = file.endsWith(".html") ? "text/html" : "text/javascript";
    response.writeHead(200, { "content-type": type }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/bench.html`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/**
 * Selects one email after another, each from a different known contact, and times each until the frame that
 * shows the sender's name in the profile: the lookup over HTTP, parsing, React and Fluent's paint included.
 */
export async function measureSelections(options: {
  apiBaseUrl: string;
  issuer: LocalIssuer;
  rep: string;
  people: { name: string; email: string }[];
}): Promise<Stats | { skipped: string }> {
  if (!existsSync(CHROMIUM))
    return { skipped: `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)` };
  const page = await servePanePage(options.apiBaseUrl, options.issuer);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
      ],
    });
    const tab = await browser.newPage({ viewport: { width: 360, height: 900 } });
    const setup = { rep: options.rep, people: options.people };
    await tab.goto(`${page.url}#${encodeURIComponent(JSON.stringify(setup))}`);
    await tab.getByText("Select an email to see who it is from.").waitFor();
    const times: number[] = [];
    for (const [i, person] of options.people.entries()) {
      const ms = await tab.evaluate(([id, name]) => window.timeSelection(id, name), [
        `m${i}`,
        person.name,
      ] as const);
      // The first selections also load lazy chunks and warm the JIT: measured, not counted.
      if (i >= WARMUP_SELECTIONS) times.push(ms);
    }
    // 50 samples: the p99 is their maximum.
    return summarize("pane: select an email → profile painted", times);
  } finally {
    await browser?.close();
    await page.close();
  }
}

export const WARMUP_PANE_SELECTIONS = WARMUP_SELECTIONS;
