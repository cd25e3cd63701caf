// The deployment docs/deploy.md describes, run end to end: the production build for an HTTPS origin, the Rapport
// server on PostgreSQL serving it, Caddy in front with the repository's Caddyfile (its internal CA standing in for
// Let's Encrypt), and Chromium loading the pane and the web app through it.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { DOMParser } from "@xmldom/xmldom";
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import { build, productionConfig } from "../../scripts/webpack-build";
import { DEFAULT_FRAME_ANCESTORS, OFFICE_JS_ORIGIN } from "../../src/server/http/addin-files";
import { Task } from "../../src/shared/tasks";
import {
  CADDYFILE,
  type Caddy,
  type HttpsAnswer,
  deploymentAvailable,
  getOverHttp,
  getOverHttps,
  requestOverHttps,
  spkiPinsOf,
  startCaddy,
} from "../helpers/caddy";
import { CHROMIUM, chromiumArgs, freePort } from "../helpers/rapport-stack";
import { type ServerProcess, startServerProcess } from "../helpers/server-process";
import { createTestDatabase } from "../helpers/stores";

const root = path.resolve(__dirname, "../..");
const run = promisify(execFile);
const describeDeployment = deploymentAvailable(
  "Deployment suite (build, Rapport on PostgreSQL, Caddy, Chromium)",
  CHROMIUM,
)
  ? describe
  : describe.skip;

/** Every URL in the manifest's attributes and leaf elements, with the element it is in. */
function manifestUrls(xml: string): { element: string; url: string }[] {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const elements = doc.getElementsByTagName("*");
  const urls: { element: string; url: string }[] = [];
  for (let i = 0; i < elements.length; i++) {
    const element = elements.item(i);
    if (!element) continue;
    for (let j = 0; j < element.attributes.length; j++) {
      const attribute = element.attributes.item(j);
      if (attribute && !attribute.name.startsWith("xmlns") && /^https?:\/\//.test(attribute.value))
        urls.push({ element: element.localName ?? "", url: attribute.value });
    }
    const text = element.getElementsByTagName("*").length === 0 ? (element.textContent ?? "").trim() : "";
    if (/^https?:\/\//.test(text)) urls.push({ element: element.localName ?? "", url: text });
  }
  return urls;
}

const header = (answer: HttpsAnswer, name: string) => {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
};

describeDeployment(
  "a deployment over HTTPS: the build, Rapport on PostgreSQL, Caddy in front, Chromium",
  () => {
    let work: string;
    let origin: string;
    let server: ServerProcess;
    let caddy: Caddy;
    let dropDatabase: () => Promise<void>;
    let browser: Browser;
    let context: BrowserContext;
    let token: string;
    let ca: string;
    let httpPort: number;

    beforeAll(async () => {
      work = mkdtempSync(path.join(os.tmpdir(), "rapport-deploy-"));
      // The origin the add-in is built for is Caddy's: a name (*.localhost is the loopback) on a free port.
      const httpsPort = await freePort();
      httpPort = await freePort();
      origin = `https://rapport.localhost:${httpsPort}`;

      // `npm run build -- --env origin=…`: the shipped configuration, minus minification and source maps, which
      // only cost time here (35 s instead of 2 min 11 s on a busy 2-core machine).
      const config = productionConfig({ origin });
      const dist = path.join(work, "dist");
      await build({
        ...config,
        devtool: false,
        optimization: { ...config.optimization, minimize: false },
        output: { ...config.output, path: dist },
      });

      // `npm run serve` on a PostgreSQL database of its own, listening on the loopback only, trusting Caddy there.
      const database = await createTestDatabase();
      dropDatabase = database.drop;
      const dataDir = path.join(work, "data");
      const env = { RAPPORT_DATA_DIR: dataDir };
      server = await startServerProcess({
        ...env,
        DATABASE_URL: database.url,
        RAPPORT_ADDIN_DIR: dist,
        RAPPORT_TRUST_PROXY: "127.0.0.1",
      });
      // It says so on the line after the address.
      while (!server.output().includes("Serving the add-in") && server.process.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.output()).toContain(`Serving the add-in from ${dist}`);

      caddy = await startCaddy({
        home: path.join(work, "caddy"),
        env: {
          RAPPORT_SITE: origin,
          RAPPORT_TLS: "internal",
          RAPPORT_UPSTREAM: new URL(server.url).host,
          CADDY_HTTP_PORT: String(httpPort),
        },
        readyUrl: `${origin}/healthz`,
      });
      ca = caddy.rootCa;

      const { stdout } = await run(
        process.execPath,
        ["--import", "tsx", "scripts/token.ts", "--email", "rita@contoso.example", "--name", "Rita Rep"],
        { cwd: root, env: { ...process.env, ...env } },
      );
      token = stdout.trim();

      // Chromium trusts the certificates of Caddy's CA alone, pinned by their keys (no blanket ignoring).
      const pins = await spkiPinsOf(origin, ca);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          ...chromiumArgs,
          `--ignore-certificate-errors-spki-list=${pins.join(",")}`,
          // This Rapport is on the loopback, and Outlook's stand-in page "on the internet": Chromium would refuse
          // the frame as a public page reaching into the local network, which a real deployment never is.
          "--disable-features=LocalNetworkAccessChecks",
        ],
      });
      context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
      // No network here: Office.js comes from the files npm installed with @microsoft/office-js.
      const officeJs = path.join(root, "node_modules/@microsoft/office-js/dist");
      await context.route(`${OFFICE_JS_ORIGIN}/lib/1/hosted/**`, async (route) => {
        const file = path.join(
          officeJs,
          new URL(route.request().url()).pathname.replace("/lib/1/hosted/", ""),
        );
        if (existsSync(file)) await route.fulfill({ path: file, contentType: "text/javascript" });
        else await route.fulfill({ status: 404 });
      });
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await caddy?.stop();
      if (server) {
        server.process.kill("SIGTERM");
        await server.exited;
      }
      await dropDatabase?.();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    const get = (url: string) => getOverHttps(url.startsWith("/") ? `${origin}${url}` : url, ca);

    it("runs the Caddyfile in deploy/, the one docs/deploy.md shows word for word", () => {
      const guide = readFileSync(path.join(root, "docs/deploy.md"), "utf8");
      expect(guide).toContain(`\`\`\`caddyfile\n${readFileSync(CADDYFILE, "utf8")}\`\`\``);
    });

    it("answers over HTTPS with a certificate of Caddy's CA, verified; plain HTTP is sent to HTTPS", async () => {
      const health = await get("/healthz");
      expect([health.status, JSON.parse(health.body.toString())]).toEqual([
        200,
        { status: "ok", store: "postgres" },
      ]);
      // The same request without Caddy's CA is refused: the checks here verify the chain, they do not skip it.
      await expect(getOverHttps(`${origin}/healthz`, "")).rejects.toThrow();
      const plain = await getOverHttp(`http://rapport.localhost:${httpPort}/taskpane.html`);
      expect(plain.status).toBe(308);
      expect(plain.headers.location).toBe(`${origin}/taskpane.html`);
    });

    it("serves every URL of the built manifest with 200 over HTTPS, each of the right type", async () => {
      const manifest = await get("/manifest.xml");
      expect(manifest.status).toBe(200);
      const urls = manifestUrls(manifest.body.toString());
      // Microsoft's sign-in aside (an app domain for MSAL's dialog), every URL is on the origin built for.
      expect(urls.filter(({ url }) => !url.startsWith(origin))).toEqual([
        { element: "AppDomain", url: "https://login.microsoftonline.com" },
      ]);
      expect(urls).toContainEqual({ element: "AppDomain", url: origin });
      const files = [
        ...new Set(
          urls
            .filter(({ element, url }) => element !== "AppDomain" && url.startsWith(origin))
            .map((u) => u.url),
        ),
      ];
      expect(files).toEqual(
        expect.arrayContaining([
          `${origin}/taskpane.html`,
          `${origin}/commands.html`,
          `${origin}/launchevent.js`,
          `${origin}/help`,
          `${origin}/assets/icon-64.png`,
        ]),
      );
      const answers: [string, number, string | undefined][] = [];
      for (const url of files) {
        const answer = await get(url);
        answers.push([url, answer.status, header(answer, "content-type")?.split(";")[0]]);
      }
      const expectedType = (url: string) =>
        url.endsWith(".png") ? "image/png" : url.endsWith(".js") ? "application/javascript" : "text/html";
      expect(answers).toEqual(files.map((url) => [url, 200, expectedType(url)]));
    });

    it("sends the pane's pages the headers Outlook needs: framed by Outlook's hosts only, scripts from the build and Office.js", async () => {
      for (const page of ["/taskpane.html", "/commands.html"]) {
        const answer = await get(page);
        expect(header(answer, "content-security-policy")).toBe(
          "script-src 'self' https://appsforoffice.microsoft.com/lib/1/hosted/; object-src 'none'; " +
            `base-uri 'self'; form-action 'self'; frame-ancestors ${DEFAULT_FRAME_ANCESTORS.join(" ")}`,
        );
        // X-Frame-Options would forbid Outlook on the web's frame, whatever frame-ancestors says.
        expect(header(answer, "x-frame-options")).toBeUndefined();
        // MSAL's sign-in popup must be able to answer the pane.
        expect(header(answer, "cross-origin-opener-policy")).toBe("same-origin-allow-popups");
        expect(header(answer, "strict-transport-security")).toMatch(/^max-age=\d{6,}/);
        expect(header(answer, "cache-control")).toBe("no-cache");
      }
      // Outlook's own pages show the icons, from another origin.
      const icon = await get("/assets/icon-80.png");
      expect(header(icon, "cross-origin-resource-policy")).toBe("cross-origin");
      // The web app and the help page are no pane: nobody else frames them.
      expect(header(await get("/app"), "content-security-policy")).toMatch(/frame-ancestors 'self'$/);
      expect(header(await get("/help"), "content-security-policy")).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
      );
    });

    it("serves a help page at the manifest's support URL: what Rapport is, who to ask, where the docs are", async () => {
      const help = await get("/help");
      expect(help.status).toBe(200);
      const text = help.body.toString();
      expect(text).toContain("<title>Rapport help</title>");
      expect(text).toMatch(/your organisation's CRM in Outlook/);
      expect(text).toMatch(/ask your organisation's Rapport\s+admin/);
      expect(text).toContain('href="/app"');
      expect(text).toContain("docs/deploy.md");
      expect(text).not.toMatch(/<script/i);
    });

    it("loads the pane's page in Chromium over HTTPS: the build's scripts and Office.js run under its policy", async () => {
      const page = await context.newPage();
      const violations: string[] = [];
      const errors: string[] = [];
      await page.exposeFunction("reportViolation", (text: string) => violations.push(text));
      await page.addInitScript(() =>
        document.addEventListener("securitypolicyviolation", (event) =>
          (window as unknown as { reportViolation(text: string): void }).reportViolation(
            `${location.pathname}: ${event.violatedDirective} ${event.blockedURI}`,
          ),
        ),
      );
      page.on("pageerror", (error) => errors.push(error.message));
      try {
        await page.goto(`${origin}/taskpane.html`);
        await page
          .getByText("This is Rapport's Outlook task pane: open it from Outlook.", { exact: false })
          .waitFor();
        expect(new URL(page.url()).origin).toBe(origin);
        expect(violations).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    }, 60_000);

    it("lets a page of Outlook on the web frame the pane, and refuses any other site", async () => {
      const framing = (host: string) =>
        `<!doctype html><title>${host}</title><iframe src="${origin}/taskpane.html"></iframe>`;
      // Pages standing in for Outlook on the web and for another site, each at its own origin: the pane's real
      // frame-ancestors, as Chromium reads it, decides.
      await context.route("https://outlook.office.com/mail/**", (route) =>
        route.fulfill({ contentType: "text/html", body: framing("Outlook") }),
      );
      await context.route("https://elsewhere.example/**", (route) =>
        route.fulfill({ contentType: "text/html", body: framing("Elsewhere") }),
      );
      const page = await context.newPage();
      // Office.js leaves a frame that no Office host opened for about:blank, a guard of its own; its switch for
      // that (OsfOptOut) lets the pane's page show what it shows outside Outlook, so the frame can be read.
      await page.addInitScript(() => Object.assign(globalThis, { OsfOptOut: true }));
      try {
        await page.goto("https://outlook.office.com/mail/inbox");
        await page
          .frameLocator("iframe")
          .getByText("This is Rapport's Outlook task pane: open it from Outlook.", { exact: false })
          .waitFor();

        // Refused: Chromium says why, and shows its error page in the frame instead.
        const refusal = page.waitForEvent("console", (message) => /frame-ancestors/.test(message.text()));
        await page.goto("https://elsewhere.example/");
        expect((await refusal).text()).toContain(`'${origin}/'`);
        while (!page.frames().some((frame) => frame.url().startsWith("chrome-error:")))
          await new Promise((resolve) => setTimeout(resolve, 100));
        expect(page.frames().map((frame) => frame.url())).not.toContain(`${origin}/taskpane.html`);
      } finally {
        await page.close();
      }
    }, 60_000);

    it("signs in to the web app over HTTPS with a pasted token, and a follow-up marked done there is done on the server", async () => {
      const created = await fetchJson("POST", "/api/v1/tasks", {
        title: "Call Anna about the renewal",
        dueAt: new Date().toISOString(),
      });
      const task = Task.parse(created);
      const page = await context.newPage();
      try {
        await page.goto(`${origin}/app`);
        // The local issuer's form, beneath the own-account one ("Rapport account") on a server that has both.
        const form = page.getByRole("form", { name: "Sign in", exact: true });
        await form.getByRole("heading", { name: "Development: the local issuer" }).waitFor();
        // Served by the Rapport server, nothing mints a token: the form asks for one from `npm run token`.
        await form.getByRole("button", { name: "Sign in" }).click();
        await form.getByLabel("Token").fill(token);
        await form.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("navigation", { name: "Rapport" }).waitFor();
        const done = page
          .getByRole("list", { name: "Follow-ups due" })
          .getByRole("checkbox", { name: `Mark “${task.title}” done` });
        await done.click();
        await page.getByRole("status").getByText(`“${task.title}” is done.`).waitFor();
        expect(Task.parse(await fetchJson("GET", `/api/v1/tasks/${task.id}`)).done).toBe(true);
      } finally {
        await page.close();
      }
    }, 120_000);

    /** The API through Caddy, as the signed-in rep. */
    async function fetchJson(method: string, route: string, body?: unknown): Promise<unknown> {
      const answer = await requestOverHttps(`${origin}${route}`, ca, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = answer.body.toString();
      if (answer.status >= 300) throw new Error(`${method} ${route}: ${answer.status} ${text}`);
      return JSON.parse(text) as unknown;
    }
  },
);
