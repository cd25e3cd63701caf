/**
 * @jest-environment jsdom
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Language } from "../../src/shared/languages";
import type { Session } from "../../src/webapp/auth/session";
import { WebAppProviders } from "../../src/webapp/WebApp";
import { SignInGate } from "../../src/webapp/components/SignInGate";

const STORAGE_KEY = "rapport.webapp.session";
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
/** An access token as the server signs it; the page reads only its `email` claim, to say who is signed in. */
const accessToken = (email: string, n: number) =>
  `${b64url({ alg: "ES256" })}.${b64url({ email, sid: "s", n })}.signature`;
const refreshToken = (n: number) => `${String(n).padStart(2, "0")}${"r".repeat(41)}`;
const tokens = (email: string, n: number) => ({
  tokenType: "Bearer",
  accessToken: accessToken(email, n),
  expiresIn: 600,
  refreshToken: refreshToken(n),
  refreshExpiresAt: "2027-01-05T10:00:00.000Z",
  sessionId: "00000000-0000-4000-8000-000000000001",
});
const problem = (status: number, code: string, detail: string) => ({
  type: "about:blank",
  title: code,
  status,
  detail,
  code,
});

/** What fetch answers, as far as the client reads it (jsdom has no Response). */
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  ({
    ok: status < 400,
    status,
    headers: new Headers(headers),
    json: async () => body,
  }) as unknown as Response;

interface Call {
  method: string;
  url: string;
  body: unknown;
  authorization: string | null;
}
type Handler = (call: Call) => Response | undefined;

/** A fake server: each request goes to the first handler that answers it; every call is kept. */
function serve(config: object, ...handlers: Handler[]): Call[] {
  const calls: Call[] = [];
  global.fetch = (async (url: string, init: RequestInit = {}) => {
    const call = {
      method: init.method ?? "GET",
      url,
      body: typeof init.body === "string" ? (JSON.parse(init.body) as unknown) : undefined,
      authorization: new Headers(init.headers).get("authorization"),
    };
    calls.push(call);
    if (url === "/api/v1/sign-in") return answer(200, { entra: null, localIssuer: false, ...config });
    if (url === "/api/v1/setup" && call.method === "GET") return answer(200, { open: false });
    for (const handler of handlers) {
      const response = handler(call);
      if (response) return response;
    }
    return answer(404, problem(404, "not_found", `no ${call.method} ${url}`));
  }) as typeof fetch;
  return calls;
}

/** What the signed-in app would do with the session: say who it is, call the API, sign out. */
function SignedIn({ session }: { session: Session }) {
  const [said, setSaid] = useState("");
  return (
    <div>
      <p>signed in as {session.who}</p>
      <button
        onClick={() =>
          void session
            .getToken()
            .then((t) => setSaid(`token ${t.slice(-8)}`))
            .catch((error: Error) => setSaid(`failed: ${error.message}`))
        }
      >
        token
      </button>
      <button
        onClick={() =>
          void session
            .getToken()
            .then((token) =>
              (session.fetch ?? fetch)("/api/v1/me", { headers: { authorization: `Bearer ${token}` } }).then(
                (r) => setSaid(`me ${r.status}`),
              ),
            )
            .catch((error: Error) => setSaid(`failed: ${error.message}`))
        }
      >
        me
      </button>
      <button onClick={() => session.signOut()}>sign out</button>
      <p>{said}</p>
    </div>
  );
}

function renderGate(language: Language = "en") {
  return render(
    <WebAppProviders
      queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
      language={language}
    >
      <SignInGate>{(session) => <SignedIn session={session} />}</SignInGate>
    </WebAppProviders>,
  );
}

const realFetch = global.fetch;
afterEach(() => {
  global.fetch = realFetch;
  window.localStorage.clear();
  window.sessionStorage.clear();
  window.history.replaceState(null, "", "/");
});

describe("signing in with Rapport's own account", () => {
  it("answers wrong credentials and a throttled attempt with its wait, then signs in and keeps only the refresh token", async () => {
    let attempts = 0;
    const calls = serve({ accounts: true }, (call) => {
      if (call.url !== "/api/v1/account/sign-in") return undefined;
      attempts += 1;
      if (attempts === 1)
        return answer(
          401,
          problem(401, "invalid_credentials", "The email address or the password is not right."),
        );
      if (attempts === 2)
        return answer(429, problem(429, "rate_limited", "Too many failed attempts; try again in 30 s."), {
          "retry-after": "30",
        });
      return answer(200, tokens("bo@northwind.example", 1));
    });
    renderGate();
    const form = await screen.findByRole("form", { name: "Rapport account" });
    const submit = within(form).getByRole("button", { name: "Sign in" });
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText(/Email address/), {
      target: { value: "bo@northwind.example" },
    });
    fireEvent.change(within(form).getByLabelText(/^Password/), { target: { value: "wrong one" } });
    fireEvent.click(submit);
    // The refusal takes the focus and is read out: the button pressed was disabled meanwhile.
    const refused = await within(form).findByRole("alert");
    expect(refused.textContent).toMatch(/The email address or the password is not right/);
    expect(refused.contains(document.activeElement)).toBe(true);
    fireEvent.click(submit);
    expect(await within(form).findByText("Too many attempts. Try again in 30 seconds.")).toBeTruthy();
    expect(within(form).getByRole("alert").contains(document.activeElement)).toBe(true);
    fireEvent.click(submit);
    expect(await screen.findByText("signed in as bo@northwind.example")).toBeTruthy();
    expect(calls.filter((c) => c.url === "/api/v1/account/sign-in").map((c) => c.body)).toEqual(
      Array(3).fill({ email: "bo@northwind.example", password: "wrong one" }),
    );
    // The refresh token survives a reload; the access token stays in memory.
    const stored = window.localStorage.getItem(STORAGE_KEY) ?? "";
    expect(JSON.parse(stored)).toEqual({ refreshToken: refreshToken(1), email: "bo@northwind.example" });
    expect(stored).not.toContain(accessToken("bo@northwind.example", 1));
    expect(JSON.stringify({ ...window.sessionStorage })).not.toContain(refreshToken(1));
  });

  it("a kept session refreshes at its first call, retries a refused call once with a new token, and lands on sign-in when the session has ended", async () => {
    window.localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({ refreshToken: refreshToken(1), email: "bo@northwind.example" }),
    );
    let refreshes = 0;
    let meCalls = 0;
    const calls = serve(
      { accounts: true },
      (call) => {
        if (call.url !== "/api/v1/account/refresh") return undefined;
        refreshes += 1;
        if (refreshes <= 2) return answer(200, tokens("bo@northwind.example", refreshes + 1));
        return answer(401, problem(401, "unauthenticated", "This refresh token was used before"));
      },
      (call) => {
        if (call.url !== "/api/v1/me") return undefined;
        meCalls += 1;
        // The first call's token is refused (signed out elsewhere): the page refreshes once and tries again.
        return meCalls === 1 ? answer(401, problem(401, "unauthenticated", "ended")) : answer(200, {});
      },
    );
    renderGate();
    expect(await screen.findByText("signed in as bo@northwind.example")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "token" }));
    expect(await screen.findByText(`token ${accessToken("bo@northwind.example", 2).slice(-8)}`)).toBeTruthy();
    expect(calls.filter((c) => c.url === "/api/v1/account/refresh").map((c) => c.body)).toEqual([
      { refreshToken: refreshToken(1) },
    ]);
    expect(JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? "{}")).toMatchObject({
      refreshToken: refreshToken(2),
    });

    fireEvent.click(screen.getByRole("button", { name: "me" }));
    expect(await screen.findByText("me 200")).toBeTruthy();
    const me = calls.filter((c) => c.url === "/api/v1/me").map((c) => c.authorization);
    expect(me).toEqual([
      `Bearer ${accessToken("bo@northwind.example", 2)}`,
      `Bearer ${accessToken("bo@northwind.example", 3)}`,
    ]);
    // Each refresh presented the newest token, never a spent one.
    expect(calls.filter((c) => c.url === "/api/v1/account/refresh").map((c) => c.body)).toEqual([
      { refreshToken: refreshToken(1) },
      { refreshToken: refreshToken(2) },
    ]);

    // Now the session is ended on the server: the next refused call's refresh is refused too. Sign-in, once.
    meCalls = 0;
    fireEvent.click(screen.getByRole("button", { name: "me" }));
    expect(await screen.findByText(/Your session has ended/)).toBeTruthy();
    expect(screen.queryByText(/signed in as/)).toBeNull();
    expect(window.localStorage.getItem(STORAGE_KEY)).toBeNull();
    expect(refreshes).toBe(3);
    expect(await screen.findByRole("form", { name: "Rapport account" })).toBeTruthy();
  });

  it("signing out ends the session on the server and says so", async () => {
    const calls = serve(
      { accounts: true },
      (call) =>
        call.url === "/api/v1/account/sign-in" ? answer(200, tokens("bo@northwind.example", 1)) : undefined,
      (call) => (call.url === "/api/v1/account/sign-out" ? answer(200, { ended: 1 }) : undefined),
    );
    renderGate();
    const form = await screen.findByRole("form", { name: "Rapport account" });
    fireEvent.change(within(form).getByLabelText(/Email address/), {
      target: { value: "bo@northwind.example" },
    });
    fireEvent.change(within(form).getByLabelText(/^Password/), { target: { value: "a long passphrase" } });
    fireEvent.click(within(form).getByRole("button", { name: "Sign in" }));
    fireEvent.click(await screen.findByRole("button", { name: "sign out" }));
    expect(await screen.findByText("You have signed out.")).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.url === "/api/v1/account/sign-out")).toBe(true));
    expect(calls.find((c) => c.url === "/api/v1/account/sign-out")?.authorization).toBe(
      `Bearer ${accessToken("bo@northwind.example", 1)}`,
    );
    expect(window.localStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it("signing out of a kept session before any call still ends it on the server, with a token the kept one buys", async () => {
    window.localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({ refreshToken: refreshToken(1), email: "bo@northwind.example" }),
    );
    const calls = serve(
      { accounts: true },
      (call) =>
        call.url === "/api/v1/account/refresh" ? answer(200, tokens("bo@northwind.example", 2)) : undefined,
      (call) => (call.url === "/api/v1/account/sign-out" ? answer(200, { ended: 1 }) : undefined),
    );
    renderGate();
    fireEvent.click(await screen.findByRole("button", { name: "sign out" }));
    expect(await screen.findByText("You have signed out.")).toBeTruthy();
    expect(window.localStorage.getItem(STORAGE_KEY)).toBeNull();
    await waitFor(() => expect(calls.some((c) => c.url === "/api/v1/account/sign-out")).toBe(true));
    expect(calls.filter((c) => c.url === "/api/v1/account/refresh").map((c) => c.body)).toEqual([
      { refreshToken: refreshToken(1) },
    ]);
    expect(calls.find((c) => c.url === "/api/v1/account/sign-out")?.authorization).toBe(
      `Bearer ${accessToken("bo@northwind.example", 2)}`,
    );
  });

  it("signing out while a refresh is on its way keeps nothing: the new token is ended, not stored", async () => {
    window.localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({ refreshToken: refreshToken(1), email: "bo@northwind.example" }),
    );
    let answerRefresh: (response: Response) => void = () => undefined;
    const pending = new Promise<Response>((resolve) => (answerRefresh = resolve));
    const calls: Call[] = serve({ accounts: true }, (call) =>
      call.url === "/api/v1/account/sign-out" ? answer(200, { ended: 1 }) : undefined,
    );
    const served = global.fetch;
    global.fetch = (async (url: string, init?: RequestInit) => {
      if (url !== "/api/v1/account/refresh") return served(url, init);
      calls.push({ method: "POST", url, body: JSON.parse(String(init?.body)), authorization: null });
      return pending;
    }) as typeof fetch;
    renderGate();
    fireEvent.click(await screen.findByRole("button", { name: "token" }));
    await waitFor(() => expect(calls.some((c) => c.url === "/api/v1/account/refresh")).toBe(true));
    fireEvent.click(screen.getByRole("button", { name: "sign out" }));
    expect(await screen.findByText("You have signed out.")).toBeTruthy();
    await act(async () => answerRefresh(answer(200, tokens("bo@northwind.example", 2))));
    await waitFor(() =>
      expect(calls.filter((c) => c.url === "/api/v1/account/sign-out").map((c) => c.authorization)).toContain(
        `Bearer ${accessToken("bo@northwind.example", 2)}`,
      ),
    );
    expect(window.localStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it("a server error while refreshing neither signs out nor asks again and again", async () => {
    window.localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({ refreshToken: refreshToken(1), email: "bo@northwind.example" }),
    );
    const calls = serve({ accounts: true }, (call) =>
      call.url === "/api/v1/account/refresh"
        ? answer(503, problem(503, "store_unavailable", "The store is not answering"))
        : undefined,
    );
    renderGate();
    fireEvent.click(await screen.findByRole("button", { name: "token" }));
    expect(await screen.findByText(/failed: .*The store is not answering/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "me" }));
    await waitFor(() => expect(calls.filter((c) => c.url === "/api/v1/account/refresh")).toHaveLength(2));
    // Still signed in, the kept token kept: the next call tries again, once.
    expect(screen.getByText("signed in as bo@northwind.example")).toBeTruthy();
    expect(screen.queryByText(/session has ended/)).toBeNull();
    expect(JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? "{}")).toMatchObject({
      refreshToken: refreshToken(1),
    });
    await act(async () => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(calls.filter((c) => c.url === "/api/v1/account/refresh")).toHaveLength(2);
  });

  it("asks for a reset with the same answer for any address, and says where passkeys cannot be used", async () => {
    const calls = serve({ accounts: true }, (call) =>
      call.url === "/api/v1/account/password-reset/request"
        ? answer(200, { accepted: true, message: "If the address has a Rapport account…" })
        : undefined,
    );
    renderGate();
    fireEvent.click(await screen.findByRole("button", { name: "Sign in with a passkey" }));
    expect(await screen.findByText("This browser cannot use passkeys here.")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Forgot password?" }));
    const form = await screen.findByRole("form", { name: "Forgot your password?" });
    fireEvent.change(within(form).getByLabelText(/Email address/), {
      target: { value: "cy@northwind.example" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Ask for a new password" }));
    expect(await within(form).findByText(/an admin of your organisation will send you a link/)).toBeTruthy();
    expect(calls.find((c) => c.url === "/api/v1/account/password-reset/request")?.body).toEqual({
      email: "cy@northwind.example",
    });
    fireEvent.click(within(form).getByRole("button", { name: "Back to sign-in" }));
    expect(await screen.findByRole("form", { name: "Rapport account" })).toBeTruthy();
  });

  it("offers Microsoft 365 beside Rapport's own accounts where the server has both, and the local issuer beneath in development", async () => {
    serve({ accounts: true, localIssuer: true });
    renderGate("sv");
    expect(await screen.findByRole("form", { name: "Rapport-konto" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Utveckling: den lokala utfärdaren" })).toBeTruthy();
    expect(screen.getByRole("form", { name: "Logga in" })).toBeTruthy();
    expect(screen.queryByText(/Sign in|Password|Forgot/)).toBeNull();
  });
});

describe("the pages one-time links open", () => {
  const TOKEN = "T".repeat(43);

  it("an invitation: the token leaves the address bar, the password is chosen twice, a passkey is offered, then signed in", async () => {
    window.history.replaceState(null, "", `/app/accept-invitation#token=${TOKEN}`);
    const calls = serve({ accounts: true }, (call) =>
      call.url === "/api/v1/invitations/accept" ? answer(200, tokens("bo@northwind.example", 1)) : undefined,
    );
    renderGate();
    const form = await screen.findByRole("form", { name: "Join your organisation on Rapport" });
    expect(window.location.hash).toBe("");
    expect(window.location.pathname).toBe("/app/accept-invitation");
    const create = within(form).getByRole("button", { name: "Create my account" }) as HTMLButtonElement;
    fireEvent.change(within(form).getByLabelText(/Your name/), { target: { value: "Bo Berg" } });
    fireEvent.change(within(form).getByLabelText(/New password/), {
      target: { value: "bo's long passphrase" },
    });
    fireEvent.change(within(form).getByLabelText(/Repeat the password/), {
      target: { value: "bo's long passphrasf" },
    });
    expect(within(form).getByText("The two passwords differ.")).toBeTruthy();
    expect(create.disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText(/Repeat the password/), {
      target: { value: "bo's long passphrase" },
    });
    expect(create.disabled).toBe(false);
    fireEvent.click(create);
    const offer = await screen.findByRole("region", { name: "Add a passkey?" });
    expect(calls.find((c) => c.url === "/api/v1/invitations/accept")?.body).toEqual({
      token: TOKEN,
      password: "bo's long passphrase",
      displayName: "Bo Berg",
    });
    fireEvent.click(within(offer).getByRole("button", { name: "Add a passkey" }));
    expect(await within(offer).findByText("This browser cannot use passkeys here.")).toBeTruthy();
    fireEvent.click(within(offer).getByRole("button", { name: "Not now" }));
    expect(await screen.findByText("signed in as bo@northwind.example")).toBeTruthy();
    expect(window.location.pathname).toBe("/app");
  });

  it("an invitation link without its token, or a used one, says what to do", async () => {
    window.history.replaceState(null, "", "/app/accept-invitation");
    serve({ accounts: true });
    const { unmount } = renderGate();
    expect(await screen.findByText(/this address carries none/)).toBeTruthy();
    unmount();

    window.history.replaceState(null, "", `/app/reset-password#token=${"U".repeat(43)}`);
    serve({ accounts: true }, (call) =>
      call.url === "/api/v1/account/password-reset"
        ? answer(410, problem(410, "link_invalid", "The link has been used, has run out or was withdrawn."))
        : undefined,
    );
    renderGate("de");
    const form = await screen.findByRole("form", { name: "Neues Passwort festlegen" });
    fireEvent.change(within(form).getByLabelText(/Neues Passwort/), {
      target: { value: "a long passphrase" },
    });
    fireEvent.change(within(form).getByLabelText(/Passwort wiederholen/), {
      target: { value: "a long passphrase" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Passwort festlegen" }));
    expect(await within(form).findByText(/Das Passwort wurde nicht festgelegt/)).toBeTruthy();
  });

  it("a reset link sets the new password, then sends to sign-in", async () => {
    window.history.replaceState(null, "", `/app/reset-password#token=${TOKEN}`);
    const calls = serve({ accounts: true }, (call) =>
      call.url === "/api/v1/account/password-reset" ? answer(200, { reset: true }) : undefined,
    );
    renderGate();
    const form = await screen.findByRole("form", { name: "Set a new password" });
    expect(window.location.hash).toBe("");
    fireEvent.change(within(form).getByLabelText(/New password/), {
      target: { value: "a new long passphrase" },
    });
    fireEvent.change(within(form).getByLabelText(/Repeat the password/), {
      target: { value: "a new long passphrase" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Set the password" }));
    expect(await screen.findByText(/Your new password is set/)).toBeTruthy();
    expect(calls.find((c) => c.url === "/api/v1/account/password-reset")?.body).toEqual({
      token: TOKEN,
      password: "a new long passphrase",
    });
    await act(async () => fireEvent.click(screen.getByRole("button", { name: "Back to sign-in" })));
    expect(await screen.findByRole("form", { name: "Rapport account" })).toBeTruthy();
  });
});

describe("setting Rapport up on the first visit", () => {
  it("is offered on the sign-in page where the server says so, and signs the first admin in", async () => {
    const calls = serve({ accounts: true }, (call) =>
      call.url === "/api/v1/setup" && call.method === "POST"
        ? answer(200, tokens("ada@northwind.example", 1))
        : undefined,
    );
    // This server is fresh and the page is on its machine.
    const fresh = global.fetch;
    global.fetch = (async (url: string, init?: RequestInit) =>
      url === "/api/v1/setup" && (init?.method ?? "GET") === "GET"
        ? answer(200, { open: true })
        : fresh(url, init)) as typeof fetch;
    renderGate();
    fireEvent.click(await screen.findByRole("button", { name: "Set up Rapport" }));
    const form = await screen.findByRole("form", { name: "Set up Rapport" });
    fireEvent.change(within(form).getByLabelText(/Organisation name/), {
      target: { value: "Northwind Traders" },
    });
    fireEvent.change(within(form).getByLabelText(/Email address/), {
      target: { value: "ada@northwind.example" },
    });
    fireEvent.change(within(form).getByLabelText(/New password/), {
      target: { value: "a long admin passphrase" },
    });
    fireEvent.change(within(form).getByLabelText(/Repeat the password/), {
      target: { value: "a long admin passphrase" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Set up and sign in" }));
    expect(await screen.findByText("signed in as ada@northwind.example")).toBeTruthy();
    expect(calls.find((c) => c.url === "/api/v1/setup" && c.method === "POST")?.body).toEqual({
      organizationName: "Northwind Traders",
      email: "ada@northwind.example",
      password: "a long admin passphrase",
    });
  });

  it("where it is not open (another machine, or set up already), the page says to use npm run admin", async () => {
    window.history.replaceState(null, "", "/app/setup");
    serve({ accounts: true });
    renderGate("nb");
    expect(await screen.findByText(/npm run admin/)).toBeTruthy();
    expect(screen.queryByRole("form", { name: "Sett opp Rapport" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Sett opp Rapport" })).toBeNull();
  });
});
