import { createApiClient } from "../../src/client/api-client";
import {
  type AccountSession,
  type DialogSession,
  type Exclusive,
  SignInNeeded,
  browserExclusive,
  createAccountSession,
  fetchWithSession,
} from "../../src/addin/core/account-session";
import { type Outbox, createOutbox } from "../../src/addin/core/outbox";
import { createAddinSignIn } from "../../src/addin/auth/sign-in";
import { logToRapport } from "../../src/addin/commands/log-to-rapport";
import { createI18n } from "../../src/addin/core/i18n";
import { type SimulatedMessage, createSimulatedMailbox } from "../../src/addin/office/simulated-mailbox";
import { type KeyValueStorage, memoryStorage } from "../../src/addin/core/storage";
import { SessionTokens } from "../../src/shared/accounts";
import { Timeline } from "../../src/shared/people";
import { createFirstAdmin } from "../../src/server/accounts/first-admin";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

const PASSWORD = "correct horse battery staple";

/**
 * The add-in's session of Rapport's own accounts against the real server (its refresh rotation and reuse
 * detection), on the storage the pane and the commands share.
 */
describe.each(storeKinds)(
  "the add-in's session of Rapport's own accounts, against the real server (%s)",
  (kind) => {
    let server: TestServer;
    let orgs = 0;
    const outboxes: Outbox[] = [];

    beforeAll(async () => {
      server = await startTestServer(kind);
    });
    afterEach(() => outboxes.splice(0).forEach((o) => o.close()));
    afterAll(() => server.close());

    /** A new organisation's first admin, signed in through the invitation link as `npm run admin` makes it. */
    async function signedInRep(): Promise<DialogSession> {
      orgs += 1;
      const email = `rita@org${orgs}.example`;
      const first = await createFirstAdmin(server.database.db, {
        email,
        org: `Org ${orgs}`,
        linkBase: server.baseUrl,
      });
      const accepted = await server.request("POST", "/api/v1/invitations/accept", {
        body: { token: new URL(first.link).hash.replace(/^#token=/, ""), password: PASSWORD },
        headers: { "x-forwarded-for": `198.51.100.${orgs}` },
      });
      const tokens = parse(SessionTokens, accepted);
      return { ...tokens, address: email };
    }

    /** Refreshes as the add-in sends them, counted. */
    const refreshes: string[] = [];
    const publicApi = () =>
      createApiClient({
        baseUrl: server.baseUrl,
        getToken: async () => {
          throw new Error("public routes only");
        },
      });
    function sessionFor(
      owner: string,
      storage: KeyValueStorage,
      options: { now?: () => number; exclusive?: Exclusive } = {},
    ): AccountSession {
      return createAccountSession({
        storage,
        owner,
        refresh: (refreshToken) => {
          refreshes.push(refreshToken);
          return publicApi()("refreshSession", { body: { refreshToken } });
        },
        endOnServer: async (accessToken) => {
          await createApiClient({ baseUrl: server.baseUrl, getToken: async () => accessToken })(
            "signOut",
            {},
          );
        },
        ...options,
      });
    }
    const meWith = (token: string) => server.request("GET", "/api/v1/me", { token });
    const storedOf = (storage: KeyValueStorage, owner: string) =>
      JSON.parse(storage.getItem(`rapport.session.v1:${owner}`) ?? "null") as { refreshToken: string } | null;
    /** A clock the test moves: past the access token's ten minutes, the session refreshes. */
    const clock = () => {
      let at = Date.now();
      return { now: () => at, pass: (ms: number) => void (at += ms) };
    };
    const TEN_MINUTES = 10 * 60_000;

    /** Anna, a contact of the rep's organisation, and the subjects of the emails logged with her. */
    const addAnna = async (token: string) => {
      const anna = await server.request<{ id: string }>("POST", "/api/v1/contacts", {
        token,
        body: { displayName: "Anna Berg", emails: ["anna@fabrikam.example"] },
      });
      expect(anna.status).toBe(201);
      return async () => {
        const timeline = parse(
          Timeline,
          await server.request("GET", `/api/v1/contacts/${anna.body.id}/timeline?limit=100`, { token }),
        );
        return timeline.items.flatMap((i) => (i.type === "interaction" ? [i.interaction.subject] : []));
      };
    };

    it("keeps the session of each mailbox apart, and asks for a sign-in where there is none", async () => {
      const storage = memoryStorage();
      const rita = await signedInRep();
      const ritas = sessionFor(rita.address, storage);
      const bos = sessionFor("bo@org.example", storage);
      expect(ritas.state()).toEqual({ kind: "signedOut", why: "none" });
      await expect(ritas.getToken()).rejects.toBeInstanceOf(SignInNeeded);
      ritas.accept(rita);
      expect(ritas.state()).toEqual({ kind: "signedIn", address: rita.address });
      expect((await meWith(await ritas.getToken())).status).toBe(200);
      // Another rep on the same machine, on the same storage, has no session of Rita's.
      expect(bos.state()).toEqual({ kind: "signedOut", why: "none" });
      await expect(bos.getToken()).rejects.toBeInstanceOf(SignInNeeded);
      // The pane and the ribbon command of Rita's mailbox share it.
      expect(await sessionFor(rita.address, storage).getToken()).toBe(rita.accessToken);
    });

    it("refreshes an access token near its end, keeping the new refresh token before the new access token is used", async () => {
      const storage = memoryStorage();
      const time = clock();
      const rita = await signedInRep();
      const session = sessionFor(rita.address, storage, { now: time.now });
      session.accept(rita);
      time.pass(TEN_MINUTES);
      const fresh = await session.getToken();
      expect(fresh).not.toBe(rita.accessToken);
      // Kept by the time the token is handed out: the spent refresh token is no longer what storage holds.
      const stored = storedOf(storage, rita.address);
      expect(stored?.refreshToken).not.toBe(rita.refreshToken);
      expect(refreshes.at(-1)).toBe(rita.refreshToken);
      expect((await meWith(fresh)).status).toBe(200);
      // The kept refresh token is the server's current one: it refreshes again, without ending the family.
      time.pass(TEN_MINUTES);
      expect((await meWith(await session.getToken())).status).toBe(200);
      expect(session.state().kind).toBe("signedIn");
    });

    it("spends a refresh token once when the pane asks for several tokens at the same time", async () => {
      const storage = memoryStorage();
      const time = clock();
      const rita = await signedInRep();
      const session = sessionFor(rita.address, storage, { now: time.now });
      session.accept(rita);
      time.pass(TEN_MINUTES);
      const before = refreshes.length;
      const tokens = await Promise.all([session.getToken(), session.getToken(), session.getToken()]);
      expect(refreshes.length - before).toBe(1);
      expect(new Set(tokens).size).toBe(1);
      // Had the token been spent twice, the server would have ended the session for both.
      expect((await meWith(tokens[0] ?? "")).status).toBe(200);
      time.pass(TEN_MINUTES);
      expect((await meWith(await session.getToken())).status).toBe(200);
    });

    it("spends it once when the pane and the ribbon command refresh together on the same storage", async () => {
      const storage = memoryStorage();
      const time = clock();
      const rita = await signedInRep();
      // The same lock both hold (Web Locks across the origin's runtimes, where the host has them).
      const exclusive = browserExclusive();
      const pane = sessionFor(rita.address, storage, { now: time.now, exclusive });
      const command = sessionFor(rita.address, storage, { now: time.now, exclusive });
      pane.accept(rita);
      time.pass(TEN_MINUTES);
      const before = refreshes.length;
      const [fromPane, fromCommand] = await Promise.all([pane.getToken(), command.getToken()]);
      expect(refreshes.length - before).toBe(1);
      // The one that waited read the other's pair from storage rather than spend the old token again.
      expect(fromCommand).toBe(fromPane);
      expect((await meWith(fromCommand)).status).toBe(200);
    });

    it("forgets a session whose refresh token was used by someone else, and says it ended", async () => {
      const storage = memoryStorage();
      const time = clock();
      const rita = await signedInRep();
      const session = sessionFor(rita.address, storage, { now: time.now });
      const changes: string[] = [];
      session.subscribe(() => changes.push(session.state().kind));
      session.accept(rita);
      // A copy of the refresh token, spent elsewhere first: the add-in's next refresh is a reuse.
      const stolen = await publicApi()("refreshSession", { body: { refreshToken: rita.refreshToken } });
      time.pass(TEN_MINUTES);
      await expect(session.getToken()).rejects.toBeInstanceOf(SignInNeeded);
      expect(session.state()).toEqual({ kind: "signedOut", why: "ended" });
      expect(storedOf(storage, rita.address)).toBeNull();
      expect(changes.at(-1)).toBe("signedOut");
      // The whole family ended: the thief's pair is refused too.
      expect((await meWith(stolen.accessToken)).status).toBe(401);
    });

    it("signs out on the server and here", async () => {
      const storage = memoryStorage();
      const rita = await signedInRep();
      const session = sessionFor(rita.address, storage);
      session.accept(rita);
      expect(await session.signOut()).toEqual({ endedOnServer: true });
      expect(session.state()).toEqual({ kind: "signedOut", why: "signedOut" });
      expect(storedOf(storage, rita.address)).toBeNull();
      expect((await meWith(rita.accessToken)).status).toBe(401);
      const refreshed = await server.request("POST", "/api/v1/account/refresh", {
        body: { refreshToken: rita.refreshToken },
      });
      expect(refreshed.status).toBe(401);
    });

    it("keeps the rep signed out when they sign out while another runtime's refresh is at the server", async () => {
      const storage = memoryStorage();
      const time = clock();
      const rita = await signedInRep();
      const pane = sessionFor(rita.address, storage);
      pane.accept(rita);
      // The ribbon command's runtime, whose access token has run out: the pane's sign-out (which takes no lock)
      // lands while the command's refresh is on its way back.
      const command = createAccountSession({
        storage,
        owner: rita.address,
        now: () => time.now() + TEN_MINUTES,
        refresh: async (refreshToken) => {
          const tokens = await publicApi()("refreshSession", { body: { refreshToken } });
          expect(await pane.signOut()).toEqual({ endedOnServer: true });
          return tokens;
        },
        endOnServer: async () => undefined,
      });
      await expect(command.getToken()).rejects.toBeInstanceOf(SignInNeeded);
      expect(storedOf(storage, rita.address)).toBeNull();
      expect(pane.state()).toEqual({ kind: "signedOut", why: "signedOut" });
      expect(command.state()).toEqual({ kind: "signedOut", why: "none" });
    });

    it("signs in with own accounts where the server mints no development tokens (npm run serve: /preview/token is a 404)", async () => {
      const noDevToken = await server.request("GET", "/preview/token?email=rita%40example.com");
      expect(noDevToken.status).toBe(404);
      expect(noDevToken.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const signIn = createAddinSignIn({
        userAddress: "rita@example.com",
        loginHint: async () => "rita@example.com",
        storage: memoryStorage(),
        baseUrl: server.baseUrl,
      });
      await expect(signIn.getToken()).rejects.toBeInstanceOf(SignInNeeded);
      expect(signIn.account.state()).toEqual({ kind: "signedOut", why: "none" });
    });

    describe("the outbox over the session", () => {
      const email = (id: string) => ({
        kind: "logEmail" as const,
        body: {
          internetMessageId: `<${id}@fabrikam.example>`,
          subject: `About ${id}`,
          sentAt: "2026-11-20T09:30:00.000Z",
          from: { address: "anna@fabrikam.example", name: "Anna Berg" },
          to: [{ address: "rita@contoso.example" }],
          bodyText: "Hello",
        },
      });
      function outboxOver(session: AccountSession, owner: string) {
        const api = createApiClient({
          baseUrl: server.baseUrl,
          getToken: session.getToken,
          fetch: fetchWithSession(session, (input, init) => fetch(input, init)),
        });
        const outbox = createOutbox({ api, storage: memoryStorage(), owner, retryDelaysMs: [60_000] });
        outboxes.push(outbox);
        return outbox;
      }
      it("keeps a log queued while nobody is signed in, and sends it once the rep signs in", async () => {
        const storage = memoryStorage();
        const rita = await signedInRep();
        const annasEmails = await addAnna(rita.accessToken);
        const session = sessionFor(rita.address, storage);
        const outbox = outboxOver(session, rita.address);
        expect(await outbox.submit(email("while-out"))).toEqual({
          status: "queued",
          entryId: expect.any(String),
        });
        expect(outbox.entries().map((e) => [e.action.kind, e.refused])).toEqual([["logEmail", null]]);
        session.accept(rita);
        // As the pane does after a sign-in: the queue is tried now, not at its next retry a minute later.
        void outbox.flush();
        await new Promise<void>((resolve) => {
          const check = () => {
            if (outbox.entries().length > 0) return;
            unsubscribe();
            resolve();
          };
          const unsubscribe = outbox.subscribe(check);
          check();
        });
        expect(await annasEmails()).toContain("About while-out");
      });

      it("keeps a log queued, not refused, when the server ended the session under it", async () => {
        const storage = memoryStorage();
        const rita = await signedInRep();
        const session = sessionFor(rita.address, storage);
        session.accept(rita);
        // Signed out everywhere from the web app: the stored access token is still within its ten minutes.
        const ended = await server.request("POST", "/api/v1/account/sign-out-everywhere", {
          token: rita.accessToken,
        });
        expect(ended.status).toBe(200);
        const outbox = outboxOver(session, rita.address);
        expect((await outbox.submit(email("after-end"))).status).toBe("queued");
        expect(outbox.entries().map((e) => e.refused)).toEqual([null]);
        expect(session.state()).toEqual({ kind: "signedOut", why: "ended" });
      });
    });

    it("the ribbon command, with nobody signed in, queues the log and sends the rep to the pane; it goes once they are in", async () => {
      const rita = await signedInRep();
      const annasEmails = await addAnna(rita.accessToken);
      const storage = memoryStorage();
      const message: SimulatedMessage = {
        id: "m1",
        internetMessageId: "<from-the-ribbon@fabrikam.example>",
        conversationId: null,
        subject: "From the ribbon",
        from: { address: "anna@fabrikam.example", name: "Anna Berg" },
        to: [{ address: rita.address, name: "Rita Rep" }],
        cc: [],
        sentAt: "2026-11-20T09:30:00.000Z",
        mode: "read",
        bodyText: "Hello Rita",
      };
      const mailbox = createSimulatedMailbox({
        messages: [message],
        userAddress: rita.address,
        selected: "m1",
      });
      // The commands' sign-in: the server's own accounts, the mailbox's stored session, no dialog.
      const signIn = createAddinSignIn({
        userAddress: rita.address,
        loginHint: async () => rita.address,
        storage,
        baseUrl: server.baseUrl,
      });
      const api = createApiClient({
        baseUrl: server.baseUrl,
        getToken: signIn.getToken,
        fetch: signIn.fetch,
      });
      const outbox = createOutbox({ api, storage, owner: rita.address, retryDelaysMs: [60_000] });
      outboxes.push(outbox);
      const services = {
        mailbox,
        api,
        outbox,
        t: createI18n("en-US").t,
        signInNeeded: () => signIn.account.state()?.kind === "signedOut",
      };
      expect(await logToRapport(services)).toEqual({
        kind: "info",
        text: "Sign in to Rapport from the pane: the email is logged once you have.",
      });
      expect(outbox.entries().map((e) => e.refused)).toEqual([null]);

      // The pane signs in (its dialog's session, kept in the storage both share); the command's next try sends it.
      createAccountSession({
        storage,
        owner: rita.address,
        refresh: async () => {
          throw new Error("not needed");
        },
        endOnServer: async () => undefined,
      }).accept(rita);
      expect(signIn.account.state()).toEqual({ kind: "signedIn", address: rita.address });
      void outbox.flush();
      await new Promise<void>((resolve) => {
        const check = () => {
          if (outbox.entries().length > 0) return;
          unsubscribe();
          resolve();
        };
        const unsubscribe = outbox.subscribe(check);
        check();
      });
      expect(await annasEmails()).toEqual(["From the ribbon"]);
    });
  },
);
