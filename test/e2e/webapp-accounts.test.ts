import { type Browser, type BrowserContext, type CDPSession, type Page, chromium } from "playwright-core";
import {
  InvitationCreated,
  OneTimeLink,
  SessionTokens,
  type SessionTokens as Tokens,
} from "../../src/shared/accounts";
import { UserList } from "../../src/shared/users";
import {
  CHROMIUM,
  type RapportStack,
  browserAvailable,
  chromiumArgs,
  startRapport,
} from "../helpers/rapport-stack";
import { createTestDatabase, storeKinds } from "../helpers/stores";

const describeInBrowser = browserAvailable("Own accounts in the web app (Chromium)")
  ? describe
  : describe.skip;

const ADMIN = { email: "ada@northwind.example", password: "northwind admin passphrase" };
const STORAGE_KEY = "rapport.webapp.session";

let browser: Browser;
// One browser for the file; each store gets its own server and contexts.
beforeAll(async () => {
  if (browserAvailable("Own accounts in the web app (Chromium)"))
    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

describeInBrowser.each(storeKinds)(
  "Rapport's own accounts in the web app at /app, on a fresh store (%s, npm start, Chromium)",
  (kind) => {
    let stack: RapportStack;
    let dropDatabase: (() => Promise<void>) | null = null;
    let adminToken: string;
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      const database = kind === "postgres" ? await createTestDatabase() : null;
      dropDatabase = database?.drop ?? null;
      // No demo data: the store stays without a single user until the first visit sets it up.
      stack = await startRapport({
        args: ["--no-demo"],
        env: database ? { DATABASE_URL: database.url } : {},
      });
    }, 420_000);
    afterAll(async () => {
      await Promise.all(contexts.map((c) => c.close()));
      await stack?.stop();
      await dropDatabase?.();
    });

    const newPage = async (): Promise<Page> => {
      const context = await browser.newContext({
        ignoreHTTPSErrors: true,
        locale: "en-US",
        timezoneId: "UTC",
      });
      contexts.push(context);
      return context.newPage();
    };
    const api = async (route: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
      const response = await fetch(`${stack.apiUrl}${route}`, {
        method: init.method ?? "GET",
        headers: {
          ...(init.body === undefined ? {} : { "content-type": "application/json" }),
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const asAdmin = async (route: string, method = "POST", body?: unknown) => {
      const answer = await api(route, { method, body, token: adminToken });
      if (answer.status >= 300)
        throw new Error(`${method} ${route}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    const signedIn = (page: Page) => page.getByRole("navigation", { name: "Rapport" }).waitFor();
    const storedRefreshToken = async (page: Page): Promise<string> => {
      const stored = await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
      return (JSON.parse(stored ?? "{}") as { refreshToken: string }).refreshToken;
    };
    const userId = async (email: string) => {
      const users = UserList.parse(await asAdmin("/api/v1/users", "GET"));
      const user = users.items.find((u) => u.email === email);
      if (!user) throw new Error(`no user ${email}`);
      return user.id;
    };

    it("the first visit from the server's own machine sets Rapport up; afterwards the page says to use npm run admin", async () => {
      const page = await newPage();
      await page.goto(stack.webAppUrl);
      await page.getByRole("button", { name: "Set up Rapport" }).click();
      const form = page.getByRole("form", { name: "Set up Rapport" });
      await form.getByLabel("Organisation name").fill("Northwind Traders");
      await form.getByLabel("Your name").fill("Ada Admin");
      await form.getByLabel("Email address").fill(ADMIN.email);
      await form.getByLabel("New password").fill(ADMIN.password);
      await form.getByLabel("Repeat the password").fill(ADMIN.password);
      await form.getByRole("button", { name: "Set up and sign in" }).click();
      await signedIn(page);
      expect(new URL(page.url()).pathname).toBe("/app");

      const tokens = SessionTokens.parse(
        (await api("/api/v1/account/sign-in", { method: "POST", body: ADMIN })).body,
      );
      adminToken = tokens.accessToken;
      const me = (await asAdmin("/api/v1/me", "GET")) as {
        user: { role: string };
        organization: { name: string };
      };
      expect([me.user.role, me.organization.name]).toEqual(["admin", "Northwind Traders"]);

      const later = await newPage();
      await later.goto(`${stack.webAppUrl}/setup`);
      await later.getByText(/first admin is made on the server with npm run admin/).waitFor();
      expect(await later.getByRole("form", { name: "Set up Rapport" }).count()).toBe(0);
    }, 180_000);

    it("invitation → passkey (a virtual authenticator) → sign out → passkey sign-in → refresh rotates → a reused token ends the family → deactivation ends the session", async () => {
      const invited = InvitationCreated.parse(
        await asAdmin("/api/v1/invitations", "POST", { email: "bo@northwind.example" }),
      );
      expect(invited.link).toMatch(/\/app\/accept-invitation#token=/);

      const page = await newPage();
      const cdp: CDPSession = await page.context().newCDPSession(page);
      await cdp.send("WebAuthn.enable");
      const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
        options: {
          protocol: "ctap2",
          transport: "internal",
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });

      await page.goto(invited.link);
      const form = page.getByRole("form", { name: "Join your organisation on Rapport" });
      await form.waitFor();
      // The token is read, then taken out of the address bar and the history.
      expect(page.url()).not.toContain("token");
      await form.getByLabel("Your name").fill("Bo Berg");
      await form.getByLabel("New password").fill("bo's own long passphrase");
      await form.getByLabel("Repeat the password").fill("bo's own long passphrase");
      await form.getByRole("button", { name: "Create my account" }).click();
      await page.getByRole("button", { name: "Add a passkey" }).click();
      await page.getByText("The passkey is added").waitFor();
      const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
      expect(credentials).toHaveLength(1);
      expect(credentials[0]?.isResidentCredential).toBe(true);
      await page.getByRole("button", { name: "Continue to Rapport" }).click();
      await signedIn(page);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByText("You have signed out.").waitFor();
      expect(await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY)).toBeNull();

      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await signedIn(page);
      const first = await storedRefreshToken(page);

      // A reload keeps only the refresh token: the app asks for a new pair, and the token it used is spent.
      const refresh = page.waitForResponse((r) => r.url().endsWith("/api/v1/account/refresh"));
      await page.reload();
      expect((await refresh).status()).toBe(200);
      await signedIn(page);
      const second = await storedRefreshToken(page);
      expect(second).not.toBe(first);

      // Someone presents the spent token: the whole family ends, and the page's next call finds itself signed out.
      const reused = await api("/api/v1/account/refresh", { method: "POST", body: { refreshToken: first } });
      expect(reused.status).toBe(401);
      expect(
        (await api("/api/v1/account/refresh", { method: "POST", body: { refreshToken: second } })).status,
      ).toBe(401);
      // The next call: going to another page, unless one of the page's own refreshes got there first.
      await page
        .getByRole("navigation", { name: "Rapport" })
        .getByRole("link", { name: "Reports" })
        .click({ timeout: 10_000 })
        .catch(() => undefined);
      await page.getByText(/Your session has ended/).waitFor();
      expect(await page.getByRole("navigation", { name: "Rapport" }).count()).toBe(0);

      // Signed in again; an admin ends Bo's access, and the next call lands on the sign-in page.
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await signedIn(page);
      await asAdmin(`/api/v1/users/${await userId("bo@northwind.example")}/deactivate`);
      // Tasks was never read in this session (what the ended one read went with it): going there asks the server.
      // (Today may be where the sign-in landed, already read, when a refresh ended the session before the click.)
      await page
        .getByRole("navigation", { name: "Rapport" })
        .getByRole("link", { name: "Tasks" })
        .click({ timeout: 10_000 })
        .catch(() => undefined);
      await page.getByText(/Your session has ended/).waitFor();

      // And a passkey no longer signs Bo in: the same answer as a wrong password.
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await page
        .getByText(/The email address or the password is not right|Sign-in failed/)
        .first()
        .waitFor();
      expect(await page.getByRole("navigation", { name: "Rapport" }).count()).toBe(0);
    }, 300_000);

    it("password sign-in, a reset asked for, a reset link from an admin, and sign-in with the new password", async () => {
      const invited = InvitationCreated.parse(
        await asAdmin("/api/v1/invitations", "POST", { email: "cy@northwind.example" }),
      );
      const token = new URL(invited.link).hash.replace("#token=", "");
      const accepted = await api("/api/v1/invitations/accept", {
        method: "POST",
        body: { token, password: "cy's first long passphrase" },
      });
      expect(accepted.status).toBe(200);
      SessionTokens.parse(accepted.body) satisfies Tokens;

      const page = await newPage();
      await page.goto(stack.webAppUrl);
      const form = page.getByRole("form", { name: "Rapport account" });
      await form.getByLabel("Email address").fill("cy@northwind.example");
      await form.getByLabel("Password").fill("not cy's password at all");
      await form.getByRole("button", { name: "Sign in" }).click();
      await form.getByText("The email address or the password is not right.").waitFor();
      await form.getByLabel("Password").fill("cy's first long passphrase");
      await form.getByRole("button", { name: "Sign in" }).click();
      await signedIn(page);
      await page.getByRole("button", { name: "Sign out" }).click();

      await page.getByRole("button", { name: "Forgot password?" }).click();
      const forgot = page.getByRole("form", { name: "Forgot your password?" });
      await forgot.getByLabel("Email address").fill("cy@northwind.example");
      await forgot.getByRole("button", { name: "Ask for a new password" }).click();
      await forgot.getByText(/an admin of your organisation will send you a link/).waitFor();

      const reset = OneTimeLink.parse(
        await asAdmin(`/api/v1/users/${await userId("cy@northwind.example")}/password-reset-link`),
      );
      expect(reset.link).toMatch(/\/app\/reset-password#token=/);
      await page.goto(reset.link);
      const resetForm = page.getByRole("form", { name: "Set a new password" });
      await resetForm.waitFor();
      expect(page.url()).not.toContain("token");
      await resetForm.getByLabel("New password").fill("cy's second long passphrase");
      await resetForm.getByLabel("Repeat the password").fill("cy's second long passphrase");
      await resetForm.getByRole("button", { name: "Set the password" }).click();
      await page.getByText(/Your new password is set/).waitFor();
      await page.getByRole("button", { name: "Back to sign-in" }).click();

      const again = page.getByRole("form", { name: "Rapport account" });
      await again.getByLabel("Email address").fill("cy@northwind.example");
      await again.getByLabel("Password").fill("cy's second long passphrase");
      await again.getByRole("button", { name: "Sign in" }).click();
      await signedIn(page);
      const old = await api("/api/v1/account/sign-in", {
        method: "POST",
        body: { email: "cy@northwind.example", password: "cy's first long passphrase" },
      });
      expect(old.status).toBe(401);
    }, 300_000);
  },
);
