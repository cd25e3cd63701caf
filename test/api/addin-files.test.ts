import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEFAULT_FRAME_ANCESTORS } from "../../src/server/http/addin-files";
import { type TestServer, startTestServer } from "../helpers/server";

describe("the add-in's files served from the API's origin", () => {
  let server: TestServer;
  let root: string;
  const hashed = "taskpane.0123456789abcdef0123.js";

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), "rapport-dist-"));
    writeFileSync(path.join(root, "taskpane.html"), `<!doctype html><script src="${hashed}"></script>`);
    writeFileSync(path.join(root, hashed), "console.log('pane')");
    writeFileSync(path.join(root, "manifest.xml"), "<OfficeApp/>");
    writeFileSync(
      path.join(root, "webapp.html"),
      `<!doctype html><title>Rapport</title><script src="/webapp.js"></script>`,
    );
    writeFileSync(path.join(root, "help.html"), `<!doctype html><title>Rapport help</title>`);
    mkdirSync(path.join(root, "assets"));
    writeFileSync(path.join(root, "assets", "icon-16.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    server = await startTestServer("pglite", {
      addinFiles: { root, frameAncestors: DEFAULT_FRAME_ANCESTORS },
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (url: string) => fetch(`${server.baseUrl}${url}`);

  it("serves the pane's page never cached, framable by Outlook's hosts only, with no X-Frame-Options", async () => {
    const page = await get("/taskpane.html");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(
      /^script-src 'self' https:\/\/appsforoffice\.microsoft\.com\/lib\/1\/hosted\/; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self' /,
    );
    expect(csp).toContain("https://outlook.office.com");
    expect(csp).toContain("https://outlook.live.com");
    expect(csp).not.toContain("*;");
    expect(page.headers.get("x-frame-options")).toBeNull();
    expect(await page.text()).toContain(hashed);
  });

  it("caches hashed scripts for good, other files for an hour, and the manifest never", async () => {
    expect((await get(`/${hashed}`)).headers.get("cache-control")).toBe(
      "public, max-age=31536000, immutable",
    );
    expect((await get("/assets/icon-16.png")).headers.get("cache-control")).toBe("public, max-age=3600");
    expect((await get("/manifest.xml")).headers.get("cache-control")).toBe("no-cache");
  });

  it("answers anything else as the API does, and never outside the build", async () => {
    const missing = await get("/nothing-here.html");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect((await get("/..%2Fpackage.json")).status).toBe(404);
    expect((await get("/api/v1/me")).status).toBe(401);
    expect((await get("/healthz")).status).toBe(200);
  });

  it("tells the add-in how to sign in, without a token", async () => {
    const answer = await get("/api/v1/sign-in");
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ entra: null, localIssuer: true, accounts: true });
  });

  it("serves the web app at /app and at every path under it (it routes in the browser), never cached or framed by others", async () => {
    for (const url of ["/app", "/app/", "/app/reports/pipeline-by-stage", "/app/settings"]) {
      const page = await get(url);
      expect([url, page.status]).toEqual([url, 200]);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(page.headers.get("cache-control")).toBe("no-cache");
      expect(page.headers.get("content-security-policy")).toBe(
        "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
      );
      expect(await page.text()).toContain("webapp.js");
    }
    // By its file name too: the same page, the same policy, never the pane's (framed by Outlook's hosts).
    const byName = await get("/webapp.html");
    expect(byName.status).toBe(200);
    expect(byName.headers.get("content-security-policy")).toBe(
      "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'",
    );
    expect((await get("/application")).status).toBe(404);
  });

  it("serves the manifest's support URL, /help, as a page that runs no script, never cached", async () => {
    for (const url of ["/help", "/help.html"]) {
      const page = await get(url);
      expect([url, page.status]).toEqual([url, 200]);
      expect(page.headers.get("content-type")).toMatch(/^text\/html/);
      expect(page.headers.get("cache-control")).toBe("no-cache");
      expect(page.headers.get("content-security-policy")).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
      );
      expect(await page.text()).toContain("<title>Rapport help</title>");
    }
    expect((await get("/help/anything")).status).toBe(404);
  });
});
