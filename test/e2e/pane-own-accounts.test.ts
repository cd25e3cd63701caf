import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { type Browser, type Page, chromium } from "playwright-core";
import { SessionTokens } from "../../src/shared/accounts";
import { Timeline } from "../../src/shared/people";
import {
  CHROMIUM,
  type RapportStack,
  browserAvailable,
  chromiumArgs,
  startRapport,
} from "../helpers/rapport-stack";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");
const REP = "rita@contoso.example";
const PASSWORD = "correct horse battery staple";
const SESSION_KEY = `rapport.session.v1:${REP}`;
const OUTBOX_KEY = `rapport.outbox.v1:${REP}`;

const describeInBrowser = browserAvailable("End-to-end suite (pane with own accounts in Chromium)")
  ? describe
  : describe.skip;

/**
 * The pane as Outlook runs it for a team with Rapport's own accounts (no Entra app): the preview with
 * `?signIn=accounts`, whose simulated dialog frames the same sign-in page Outlook's dialog opens. The embedded
 * store only: `npm start` (which this stack runs) opens the embedded store, and `npm run admin` needs it stopped.
 */
describeInBrowser("the pane signing in with Rapport's own accounts (npm start, Chromium)", () => {
  let stack: RapportStack;
  let browser: Browser;
  let page: Page;
  let token: string;
  let annaId: string;

  const api = async <T>(method: string, route: string, body?: unknown, bearer = token): Promise<T> => {
    const response = await fetch(`${stack.apiUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    stack = await startRapport({ apiSeparately: true, patienceMs: 480_000 });
    // The team's first admin, as docs/deploy.md has it: `npm run admin` beside the stopped server, then the link.
    await stack.stopApi();
    const { stdout } = await run(
      path.join(root, "node_modules/.bin/tsx"),
      ["scripts/admin.ts", "--email", REP, "--org", "Contoso", "--url", stack.apiUrl],
      { cwd: root, env: { ...process.env, RAPPORT_DATA_DIR: stack.dataDir, LOG_LEVEL: "warn" } },
    );
    await stack.startApi();
    const link = stdout.split("\n").find((line) => line.includes("#token="));
    if (!link) throw new Error(`npm run admin printed no link:\n${stdout}`);
    const accepted = await fetch(`${stack.apiUrl}/api/v1/invitations/accept`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: new URL(link).hash.replace(/^#token=/, ""), password: PASSWORD }),
    });
    token = SessionTokens.parse(await accepted.json()).accessToken;
    const anna = await api<{ id: string }>("POST", "/api/v1/contacts", {
      displayName: "Anna Berg",
      emails: ["anna.berg@fabrikam.example"],
      title: "CFO",
    });
    annaId = anna.id;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1000, height: 720 }, ignoreHTTPSErrors: true });
  }, 720_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const pane = () => page.getByRole("complementary", { name: "Rapport" });
  const previewUrl = () => `${stack.previewUrl}?signIn=accounts`;
  const stored = (key: string) => page.evaluate((k) => localStorage.getItem(k), key);
  const annasEmails = async () =>
    Timeline.parse(await api("GET", `/api/v1/contacts/${annaId}/timeline?limit=100`)).items.flatMap((i) =>
      i.type === "interaction" ? [i.interaction.subject] : [],
    );

  it("shows Sign in to Rapport, with a log the ribbon command queued waiting, and opens no dialog by itself", async () => {
    await page.goto(previewUrl());
    // What the ribbon command leaves in the mailbox's shared storage when it logs while nobody is signed in.
    await page.evaluate(([key, entry]) => localStorage.setItem(key, JSON.stringify([entry])), [
      OUTBOX_KEY,
      {
        id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4aff",
        action: {
          kind: "logEmail",
          body: {
            internetMessageId: "<proposal-q3@fabrikam.example>",
            subject: "Re: Proposal for Q3",
            from: { address: "anna.berg@fabrikam.example", name: "Anna Berg" },
            to: [{ address: REP, name: "Rita Rep" }],
            sentAt: "2026-11-20T09:30:00.000Z",
            bodyText: "Hi Rita, the proposal is attached.",
          },
        },
        queuedAt: new Date().toISOString(),
        attempts: 0,
        refused: null,
      },
    ] as const);
    await page.reload();
    await pane().getByRole("heading", { name: "Sign in to Rapport" }).waitFor();
    await pane().getByText("Waiting to be sent once you are signed in: 1").waitFor();
    expect(await page.getByRole("dialog").count()).toBe(0);
    expect(await annasEmails()).toEqual([]);
  }, 120_000);

  it("signs in through the dialog with the password, shows the sender's profile and sends what waited", async () => {
    await pane().getByRole("button", { name: "Sign in" }).click();
    const dialog = page.frameLocator('iframe[title="Sign in to Rapport"]');
    const address = dialog.getByLabel("Email address");
    await address.waitFor();
    // The mailbox's address is offered; only it, the language and the theme are in the dialog's URL.
    expect(await address.inputValue()).toBe(REP);
    const src = await page.locator('iframe[title="Sign in to Rapport"]').getAttribute("src");
    expect([...new URL(src ?? "", stack.previewUrl).searchParams.keys()].sort()).toEqual(
      ["address", "lang", "simulatedDialog", "theme"].sort(),
    );

    await dialog.getByLabel("Password").fill("not the password at all");
    await dialog.getByRole("button", { name: "Sign in", exact: true }).click();
    await dialog.getByRole("alert").getByText("The email address or the password is not right.").waitFor();
    await dialog.getByLabel("Password").fill(PASSWORD);
    await dialog.getByRole("button", { name: "Sign in", exact: true }).click();

    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.locator('[data-message="known"]').click();
    await pane().getByText("CFO", { exact: false }).first().waitFor();
    // The log queued while signed out reached the server, and the pane shows it logged.
    await pane().getByRole("button", { name: "Logged" }).waitFor();
    expect(await annasEmails()).toEqual(["Re: Proposal for Q3"]);
    expect(JSON.parse((await stored(OUTBOX_KEY)) ?? "[]")).toEqual([]);
    const session = JSON.parse((await stored(SESSION_KEY)) ?? "null") as { address: string } | null;
    expect(session?.address).toBe(REP);
    // Nothing of the session in the page's address.
    expect(page.url()).toBe(previewUrl());
  }, 120_000);

  it("keeps the session over a reload", async () => {
    await page.reload();
    await page.locator('[data-message="known"]').click();
    await pane().getByRole("button", { name: "Logged" }).waitFor();
    expect(await pane().getByRole("heading", { name: "Sign in to Rapport" }).count()).toBe(0);
  }, 120_000);

  it("signs out from the settings: the session ends on the server and is forgotten here", async () => {
    const { accessToken } = JSON.parse((await stored(SESSION_KEY)) ?? "{}") as { accessToken: string };
    await pane().getByRole("button", { name: "Settings" }).click();
    await pane().getByText(`Signed in to Rapport as ${REP}`).waitFor();
    await pane().getByRole("button", { name: "Sign out" }).click();
    await pane().getByRole("heading", { name: "Sign in to Rapport" }).waitFor();
    await pane().getByText("You have signed out of Rapport.").waitFor();
    expect(await stored(SESSION_KEY)).toBeNull();
    const me = await fetch(`${stack.apiUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(401);
    await page.reload();
    await pane().getByRole("heading", { name: "Sign in to Rapport" }).waitFor();
  }, 120_000);
});
