import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

// The docs against the code, as text: what the code reads and answers, found by scanning it (never a hand list
// that would drift itself), and what the docs name, found in their code spans. test/unit/docs-drift.test.ts runs
// it on the repository and on made-up pages.

export interface TextFile {
  file: string;
  text: string;
}

export interface Route {
  method: string;
  path: string;
}

/** Everything the checks compare, gathered from files so a test can hand in made-up ones. */
export interface DriftInput {
  /** Sources whose environment reads must be documented: src/, scripts/, webpack.config.js. */
  settingsCode: TextFile[];
  /** src/server/config.ts: its zod schema's keys are settings even where no `env.X` names them. */
  configSource: string;
  /** Sources that may read a variable the docs mention without having to be documented: tests, CI. */
  otherCode: TextFile[];
  /** The docs every setting must appear in: README.md and docs/*.md. */
  docs: TextFile[];
  /** Pages that must not name what does not exist, but need not list everything: SECURITY.md, ARCHITECTURE.md. */
  otherDocs: TextFile[];
  /** docs/api.md, which must list every route of the contract. */
  apiDoc: TextFile;
  routes: Route[];
  /** The server's sources, for the routes it answers outside the contract (/readyz, the OpenAPI document). */
  serverCode: TextFile[];
  npmScripts: string[];
}

const ENV_READS = [
  /\bprocess\.env\.([A-Z][A-Z0-9_]*)/g,
  /\bprocess\.env\[\s*["'`]([A-Z][A-Z0-9_]*)["'`]\s*\]/g,
  /\benv\.([A-Z][A-Z0-9_]*)/g,
];

/** The variables a source reads from the environment: `process.env.X`, `process.env["X"]`, `env.X`, destructured. */
export function envReadsIn(source: string): Set<string> {
  const names = new Set<string>();
  for (const pattern of ENV_READS) for (const match of source.matchAll(pattern)) names.add(match[1] ?? "");
  for (const match of source.matchAll(/\{([^{}]*)\}\s*=\s*process\.env\b/g))
    for (const name of (match[1] ?? "").matchAll(/\b([A-Z][A-Z0-9_]*)\b/g)) names.add(name[1] ?? "");
  names.delete("");
  return names;
}

/** A shell script's variables: those it sets (`X=`, `export X=`) and reads (`$X`, `${X…}`). */
export function shellVariablesIn(script: string): Set<string> {
  const names = new Set<string>();
  for (const match of script.matchAll(/\b([A-Z][A-Z0-9_]*)=|\$\{?([A-Z][A-Z0-9_]*)/g))
    names.add(match[1] ?? match[2] ?? "");
  names.delete("");
  return names;
}

/** The top-level keys of `const Env = z.object({ … })` in config.ts: two spaces in, a name, a colon. */
export function configKeysIn(configSource: string): Set<string> {
  const start = configSource.indexOf("const Env = z.object({");
  if (start < 0)
    throw new Error("config.ts no longer declares `const Env = z.object({`: teach docs-drift its schema");
  const end = configSource.indexOf("\n});", start);
  const schema = configSource.slice(start, end);
  return new Set([...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] ?? ""));
}

/** The code in a Markdown page: fenced blocks and inline spans, where the docs name commands, variables, routes. */
export function codeIn(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? "");
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "");
  const inline = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? "");
  return [...fenced, ...inline];
}

/**
 * Names in the docs' code that read as environment variables: upper case with an underscore (`RAPPORT_DATA_DIR`),
 * or set before a command (`PORT=4000 npm start`). A shell variable the docs set and read themselves (`$TOKEN`)
 * is theirs, not the code's.
 */
export function variablesNamedIn(markdown: string): Set<string> {
  const code = codeIn(markdown);
  const names = new Set<string>();
  for (const span of code) {
    for (const match of span.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)) names.add(match[0]);
    for (const match of span.matchAll(/(?:^|\s)([A-Z][A-Z0-9_]*)=/g)) names.add(match[1] ?? "");
  }
  for (const span of code)
    for (const match of span.matchAll(/\$([A-Z][A-Z0-9_]*)/g)) names.delete(match[1] ?? "");
  names.delete("");
  return names;
}

/** Words in upper case with underscores that the docs quote and that are not variables. */
const NOT_VARIABLES = new Set([
  // Chromium's words for an untrusted certificate (NET::ERR_CERT_AUTHORITY_INVALID), as troubleshooting quotes them.
  "ERR_CERT_AUTHORITY_INVALID",
  // SQL's own, as a query plan quoted in docs/benchmarks.md shows it.
  "CURRENT_DATE",
]);

/** `METHOD /path` in the docs' code, the path without its query. */
export function routesNamedIn(markdown: string): Route[] {
  const routes: Route[] = [];
  for (const span of codeIn(markdown))
    for (const match of span.matchAll(/\b(GET|POST|PUT|PATCH|DELETE) (\/[^\s`?,)]*)/g))
      routes.push({ method: match[1] ?? "", path: match[2] ?? "" });
  return routes;
}

/** `npm run x` (and `npm start`, `npm test`, which are scripts too) in the docs' code. */
export function npmScriptsNamedIn(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const span of codeIn(markdown)) {
    for (const match of span.matchAll(/\bnpm run(?: --silent| -s)? ([a-z][\w:.-]*)/g))
      names.add(match[1] ?? "");
    for (const match of span.matchAll(/\bnpm (start|test)\b/g)) names.add(match[1] ?? "");
  }
  return names;
}

/** Path parameters compared by position, not by name: `/tags/:tag` and `/tags/:name` are one route. */
const routeKey = (route: Route) => `${route.method} ${route.path.replace(/:[A-Za-z]\w*/g, ":param")}`;

/** What the docs and the code disagree on, one line each; empty when they agree. */
export function docsDrift(input: DriftInput): string[] {
  const problems: string[] = [];
  const pages = [...input.docs, ...input.otherDocs];

  const settings = new Set([
    ...input.settingsCode.flatMap((f) => [...envReadsIn(f.text)]),
    ...configKeysIn(input.configSource),
  ]);
  // A setting is documented where the docs' code names it as a word: `HOST` alone has no underscore to find it by.
  const documentedCode = input.docs.flatMap((page) => codeIn(page.text));
  for (const name of [...settings].sort())
    if (!documentedCode.some((span) => new RegExp(`\\b${name}\\b`).test(span)))
      problems.push(`${name} is read by the code but named in no doc`);

  const readable = new Set([
    ...settings,
    ...input.otherCode.flatMap((f) => [...envReadsIn(f.text), ...shellVariablesIn(f.text)]),
  ]);
  for (const page of pages)
    for (const name of [...variablesNamedIn(page.text)].sort())
      if (!readable.has(name) && !NOT_VARIABLES.has(name))
        problems.push(`${page.file} names ${name}, which no code reads`);

  const listed = new Set(routesNamedIn(input.apiDoc.text).map(routeKey));
  for (const route of input.routes)
    if (!listed.has(routeKey(route)))
      problems.push(`${input.apiDoc.file} does not list ${route.method} ${route.path}`);

  const contract = new Set(input.routes.map(routeKey));
  const answeredOutsideContract = (route: Route) =>
    input.serverCode.some((f) => f.text.includes(`"${route.path}"`));
  for (const page of pages)
    for (const route of routesNamedIn(page.text))
      if (
        (route.path.startsWith("/api/") || route.path === "/healthz" || route.path === "/readyz") &&
        !contract.has(routeKey(route)) &&
        !answeredOutsideContract(route)
      )
        problems.push(`${page.file} names ${route.method} ${route.path}, which the server does not answer`);

  const scripts = new Set(input.npmScripts);
  for (const page of pages)
    for (const name of [...npmScriptsNamedIn(page.text)].sort())
      if (!scripts.has(name))
        problems.push(`${page.file} names npm run ${name}, which package.json does not define`);

  return problems;
}

// ----------------------------------------------------------------------------------------------------------
// The repository's own files.

const root = path.resolve(__dirname, "../..");

function filesUnder(dir: string, extensions: RegExp): TextFile[] {
  const absolute = path.join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && extensions.test(entry.name))
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file: path.relative(root, file), text: readFileSync(file, "utf8") };
    });
}

const read = (file: string): TextFile => ({ file, text: readFileSync(path.join(root, file), "utf8") });
const readIfThere = (file: string): TextFile[] => (existsSync(path.join(root, file)) ? [read(file)] : []);

const SOURCE = /\.(ts|tsx|js|cjs|mjs)$/;

export function repositoryDriftInput(routes: Route[]): DriftInput {
  const packageJson = JSON.parse(read("package.json").text) as { scripts: Record<string, string> };
  return {
    settingsCode: [...filesUnder("src", SOURCE), ...filesUnder("scripts", SOURCE), read("webpack.config.js")],
    configSource: read("src/server/config.ts").text,
    // Not this checker and its test: their made-up names must not count as read.
    otherCode: [
      ...filesUnder("test", SOURCE).filter((f) => !/docs-drift/.test(f.file)),
      ...filesUnder(".ci", /^run$|\.sh$/),
      read("jest.config.js"),
    ],
    docs: [read("README.md"), ...filesUnder("docs", /\.md$/)],
    // CHANGELOG.md is left out on purpose: upgrade notes name what was renamed or removed.
    otherDocs: [...readIfThere("SECURITY.md"), ...readIfThere("ARCHITECTURE.md")],
    apiDoc: read("docs/api.md"),
    routes,
    serverCode: filesUnder("src/server", SOURCE),
    npmScripts: Object.keys(packageJson.scripts),
  };
}

// ----------------------------------------------------------------------------------------------------------
// Links between the pages: README.md into docs/, docs/ into each other and back, each to a file and heading
// that exist.

/** GitHub's anchor for a heading: lower case, punctuation dropped but for hyphens, spaces made hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The anchors a page's headings get, a repeated heading numbered as GitHub numbers it (`-1`, `-2`). */
export function anchorsOf(markdown: string): Set<string> {
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "");
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const anchor = headingAnchor(match[1] ?? "");
    const count = seen.get(anchor) ?? 0;
    seen.set(anchor, count + 1);
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`);
  }
  return anchors;
}

/**
 * Relative links in the pages' prose (`[text](path#heading)`, images too; code is no link) whose file is missing,
 * or whose heading the linked page does not have. Anchors are checked on the pages handed in, the others' files
 * only exist.
 */
export function brokenLinks(pages: TextFile[], fileExists: (file: string) => boolean): string[] {
  const byFile = new Map(pages.map((page) => [page.file, page.text]));
  const problems: string[] = [];
  for (const page of pages) {
    const prose = page.text.replace(/^```[^\n]*\n[\s\S]*?^```/gm, "").replace(/`[^`\n]+`/g, "");
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const link = match[1] ?? "";
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue;
      const [target = "", anchor] = link.split("#", 2);
      const file =
        target === ""
          ? page.file
          : path.posix.normalize(path.posix.join(path.posix.dirname(page.file), target));
      // A clone has nothing beside the repository, whatever this machine keeps there.
      if (file.startsWith("../")) {
        problems.push(`${page.file} links ${link}, outside the repository`);
        continue;
      }
      if (target !== "" && !fileExists(file)) {
        problems.push(`${page.file} links ${link}, and there is no ${file}`);
        continue;
      }
      const linked = byFile.get(file);
      if (anchor !== undefined && linked !== undefined && !anchorsOf(linked).has(decodeURIComponent(anchor)))
        problems.push(`${page.file} links ${link}, and ${file} has no heading for #${anchor}`);
    }
  }
  return problems;
}

/** The repository's pages whose links must hold: README.md and the other top-level pages, docs/*.md. */
export function repositoryPages(): TextFile[] {
  const topLevel = readdirSync(root).filter((name) => name.endsWith(".md"));
  return [...topLevel.map(read), ...filesUnder("docs", /\.md$/)];
}

export const existsInRepository = (file: string): boolean => existsSync(path.join(root, file));
