import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

/**
 * Where Outlook may frame the pane: Outlook on the web and the new Outlook (which runs it too) on Microsoft's
 * own origins. Outlook on Windows and Mac host the pane in a webview with no framing page at all.
 */
export const DEFAULT_FRAME_ANCESTORS = [
  "'self'",
  "https://outlook.office.com",
  "https://outlook.office365.com",
  "https://outlook.live.com",
  "https://*.outlook.com",
  "https://*.office.com",
  "https://*.office365.com",
  "https://*.officeapps.live.com",
];

export interface AddinFiles {
  /** The output of `npm run build`. */
  root: string;
  frameAncestors: readonly string[];
}

/**
 * What the pages may run: the build's own scripts, and Office.js with the host scripts it loads from Microsoft's
 * CDN. No inline script, no eval, no plugins, no <base> pointing elsewhere: text that slipped into a page could
 * not run. Styles are left open (Fluent UI writes its rules at run time), and so are connections, which MSAL
 * makes to the tenant's sign-in endpoints.
 */
export const OFFICE_JS_ORIGIN = "https://appsforoffice.microsoft.com";
/** Office.js and the host scripts it loads, and nothing else of that origin. */
const OFFICE_JS_PATH = `${OFFICE_JS_ORIGIN}/lib/1/hosted/`;
// No form on the pages posts anywhere but here: injected markup could not phish with one.
const ADDIN_SCRIPTS = `script-src 'self' ${OFFICE_JS_PATH}; object-src 'none'; base-uri 'self'; form-action 'self'`;
// The web app never loads Office.js.
const WEBAPP_SCRIPTS = "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

/** `name.0123456789abcdef0123.js`: webpack's content hash, so the file at that name never changes. */
const HASHED = /\.[0-9a-f]{16,}\.(js|css)$/;

export function cacheControlFor(file: string): string {
  const name = path.basename(file);
  // The pages name the hashed scripts: always asked again, so a new release is picked up at once.
  if (name.endsWith(".html") || name === "manifest.xml") return "no-cache";
  if (HASHED.test(name)) return "public, max-age=31536000, immutable";
  return "public, max-age=3600";
}

/**
 * The add-in's static files next to the API, from one origin: what Outlook loads (pages, scripts, icons,
 * manifest), framed only by Outlook's hosts, hashed assets cached for good, pages never.
 */
export async function serveAddinFiles(app: FastifyInstance, files: AddinFiles): Promise<void> {
  const csp = `${ADDIN_SCRIPTS}; frame-ancestors ${files.frameAncestors.join(" ")}`;
  await app.register(fastifyStatic, {
    root: files.root,
    prefix: "/",
    // Each built file gets its own route; anything else falls through to the API's problem+json 404.
    wildcard: false,
    index: false,
    decorateReply: false,
    cacheControl: false,
    setHeaders(response, file) {
      response.setHeader("cache-control", cacheControlFor(file));
      // The web app's page by its file name is the web app: its own policy, framed by nobody else; the help
      // page by its file name is the help page.
      const name = path.basename(file);
      response.setHeader(
        "content-security-policy",
        name === WEBAPP_PAGE ? WEBAPP_CSP : name === HELP_PAGE ? HELP_CSP : csp,
      );
      response.setHeader("x-content-type-options", "nosniff");
    },
  });
  if (existsSync(path.join(files.root, WEBAPP_PAGE))) serveWebApp(app, files.root);
  if (existsSync(path.join(files.root, HELP_PAGE))) serveHelp(app, files.root);
}

const HELP_PAGE = "help.html";
// No script at all: the page is plain text and links, readable in any browser Outlook opens it in.
const HELP_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** The manifest's support URL: /help, which Outlook shows in the add-in's details. */
function serveHelp(app: FastifyInstance, root: string): void {
  app.get("/help", pageOf(path.join(root, HELP_PAGE), HELP_CSP));
}

/** A built page at a path of its own (not its file name), read at each request, under its own policy. */
function pageOf(page: string, policy: string) {
  return async (_request: unknown, reply: FastifyReply) =>
    reply
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-cache")
      .header("content-security-policy", policy)
      .header("x-content-type-options", "nosniff")
      .send(await readFile(page));
}

const WEBAPP_PAGE = "webapp.html";
const WEBAPP_CSP = `${WEBAPP_SCRIPTS}; frame-ancestors 'self'`;

/**
 * The web app (dashboard, reports, settings) is one page that routes in the browser: /app and every path under
 * it answer that page, so a bookmark or a reload of /app/reports/… works. It is never framed: it is no pane.
 */
function serveWebApp(app: FastifyInstance, root: string): void {
  const handler = pageOf(path.join(root, WEBAPP_PAGE), WEBAPP_CSP);
  app.get("/app", handler);
  app.get("/app/*", handler);
}

/** The build, if there is one: the server also runs without it (API only, as in development). */
export function findAddinBuild(dir: string): string | null {
  return existsSync(path.join(dir, "taskpane.html")) ? dir : null;
}
