import { readFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";
import { CHROMIUM, browserAvailable, chromiumArgs } from "../helpers/rapport-stack";

const describeInBrowser = browserAvailable("End-to-end suite (sign-in dialog without its script)")
  ? describe
  : describe.skip;

const PAGE = readFileSync(path.resolve(__dirname, "../../src/addin/auth/account-sign-in.html"), "utf8");
const PASSWORD = "correct horse battery staple";

/**
 * The own-account sign-in page as it stands before its script has run (still loading, blocked, or failed): the
 * HTML alone, served as the add-in serves it, in a real Chromium. Whatever the rep does there, the password must
 * not travel in a URL (the server's access log, the browser's history, a proxy's log).
 */
describeInBrowser("the own-account sign-in page without its script (Chromium)", () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  const requested: { method: string; url: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      requested.push({ method: request.method ?? "", url: request.url ?? "" });
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("sends nothing, and puts no password in a URL, when the rep types it and presses Enter", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/account-sign-in.html?address=rita%40contoso.example&lang=en-US`);
    await page.locator("#address").fill("rita@contoso.example");
    await page.locator("#password").fill(PASSWORD);
    await page.locator("#password").press("Enter");
    // A form submission would be a navigation; give it the time one takes, then look at what reached the server.
    await page.waitForLoadState("load");
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
    const password = encodeURIComponent(PASSWORD).replace(/%20/g, "+");
    expect(page.url()).not.toContain("password");
    expect(requested.filter((r) => r.url.includes("password") || r.url.includes(password))).toEqual([]);
    // Nor in a body: the page was asked for once (the browser's favicon aside), and nothing was sent to it.
    expect(requested.filter((r) => r.url !== "/favicon.ico")).toEqual([
      { method: "GET", url: "/account-sign-in.html?address=rita%40contoso.example&lang=en-US" },
    ]);
    await page.close();
  }, 60_000);
});
