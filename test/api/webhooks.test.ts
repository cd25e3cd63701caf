import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { randomUUID } from "node:crypto";
import { buildApp } from "../../src/server/app";
import { createTokenVerifier } from "../../src/server/auth/verify";
import { isRefusedAddress, ownAddresses } from "../../src/server/webhooks/address";
import { type WebhookWorker, createWebhookWorker } from "../../src/server/webhooks/worker";
import { PipelineList } from "../../src/shared/pipelines";
import {
  WEBHOOK_EVENTS,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from "../../src/shared/webhooks";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";
import { WebhookReceiver, verifyRapportSignature } from "../helpers/webhook-receiver";

const BASE_MS = 1000;
const TIMEOUT_MS = 300;
/** The worker these tests drive: deliveries to the loopback receiver, short timeouts, three attempts, two lanes. */
const workerConfig = {
  intervalSeconds: 1,
  allowPrivate: true,
  timeoutMs: TIMEOUT_MS,
  backoffBaseMs: BASE_MS,
  backoffMaxMs: 60_000,
  maxAttempts: 3,
  concurrency: 2,
};

describe.each(storeKinds)("outbound webhooks (%s)", (kind) => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let worker: WebhookWorker;
  /** The worker's clock, ahead of the store's: tests move it past a retry's wait instead of waiting. */
  let ahead = 1000;
  const clock = () => new Date(Date.now() + ahead);
  const later = (ms: number) => {
    ahead += ms;
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { webhooks: { allowPrivate: true } });
    receiver = await new WebhookReceiver().start();
    worker = createWebhookWorker({
      database: server.database,
      clock,
      config: workerConfig,
    });
  });
  afterAll(async () => {
    await worker.stop();
    await receiver.close();
    await server.close();
  });

  /** An organisation of its own per test, so no test's endpoints hear another's events. */
  const admin = (org: string) => server.token(`ada@${org}.example`);
  const call = async <T>(token: string, method: string, path: string, body?: unknown) => {
    const response = await server.request<T>(method, path, { token, body });
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const register = async (token: string, path: string, events: readonly string[] = WEBHOOK_EVENTS) =>
    WebhookEndpointWithSecret.parse(
      await call(token, "POST", "/api/v1/webhooks", { url: receiver.url(path), events }),
    );
  const deliveries = async (token: string, endpointId: string) =>
    WebhookDeliveryList.parse(await call(token, "GET", `/api/v1/webhooks/${endpointId}/deliveries`)).items;
  const contact = (token: string, name: string) =>
    call<{ id: string; version: number }>(token, "POST", "/api/v1/contacts", {
      displayName: name,
      emails: [`${name.toLowerCase()}@customer.example`],
    });

  describe("registration", () => {
    it("refuses a bad URL or events with a 400 naming the field, and stores nothing", async () => {
      const token = await admin("bad-input");
      for (const [body, field] of [
        [{ url: "ftp://files.example/hook", events: ["contact.created"] }, "body.url"],
        [{ url: "https://user:secret@hooks.example/in", events: ["contact.created"] }, "body.url"],
        [{ url: "not a url", events: ["contact.created"] }, "body.url"],
        [{ url: "https://hooks.example/in", events: [] }, "body.events"],
        [{ url: "https://hooks.example/in", events: ["contact.exploded"] }, "body.events.0"],
        [{ url: "https://hooks.example/in" }, "body.events"],
      ] as const) {
        const response = await server.request<{ errors: { path: string }[] }>("POST", "/api/v1/webhooks", {
          token,
          body,
        });
        expect([body, response.status]).toEqual([body, 400]);
        expect(response.body.errors.map((e) => e.path)).toContain(field);
      }
      expect(await call(token, "GET", "/api/v1/webhooks")).toEqual({ items: [] });
    });

    it("refuses private, loopback, link-local and mapped addresses unless the server allows them", async () => {
      // The same store, served by a server whose configuration does not allow private hosts.
      const strict = await buildApp({
        database: server.database,
        verifyToken: createTokenVerifier({
          local: server.issuer,
          entra: null,
          scope: "access_as_user",
          accounts: server.accounts,
        }),
        checkResponses: true,
      });
      const address = await strict.listen({ port: 0, host: "127.0.0.1" });
      try {
        const token = await admin("strict");
        const ask = async (method: string, body?: unknown) => {
          const response = await fetch(`${address}/api/v1/webhooks`, {
            method,
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          return {
            status: response.status,
            body: (await response.json()) as { errors?: { path: string }[] },
          };
        };
        for (const url of [
          "http://127.0.0.1:8080/hook",
          "http://localhost:8080/hook",
          "http://[::1]/hook",
          "http://10.1.2.3/hook",
          "http://172.20.0.1/hook",
          "http://192.168.1.10/hook",
          "http://169.254.169.254/latest/meta-data",
          "http://100.64.0.1/hook",
          "http://0.0.0.0/hook",
          "http://[fd00::1]/hook",
          "http://[fe80::1]/hook",
          "http://[::ffff:127.0.0.1]/hook",
          "http://0x7f.1/hook",
          "http://2130706433/hook",
        ]) {
          const response = await ask("POST", { url, events: ["contact.created"] });
          expect([url, response.status, response.body.errors?.[0]?.path]).toEqual([url, 400, "body.url"]);
        }
        expect((await ask("GET")).body).toEqual({ items: [] });
        // A public address is taken (a literal: no name to resolve on a machine without DNS).
        const taken = await ask("POST", { url: "https://93.184.215.14/hook", events: ["contact.created"] });
        expect(taken.status).toBe(201);
      } finally {
        await strict.close();
      }
      // The server that allows them takes the loopback receiver the other tests use.
      expect((await register(await admin("lenient"), "/lenient")).endpoint.url).toBe(
        receiver.url("/lenient"),
      );
    });

    it("knows which addresses are private", () => {
      for (const address of [
        "127.0.0.1",
        "10.0.0.1",
        "::1",
        "::",
        "fc00::1",
        "fe80::abcd",
        "::ffff:8.8.8.8",
        "64:ff9b::a00:1",
        "64:ff9b:1::a00:1",
        "::ffff:0:a00:1",
        "224.0.0.1",
        "255.255.255.255",
        "100.127.255.255",
      ])
        expect([address, isRefusedAddress(address)]).toEqual([address, true]);
      for (const address of ["8.8.8.8", "93.184.215.14", "2606:4700:4700::1111", "100.128.0.1", "172.32.0.1"])
        expect([address, isRefusedAddress(address)]).toEqual([address, false]);
      // The server's own addresses, public ones too, in any spelling.
      const own = ["93.184.215.14", "2606:4700:4700:0:0:0:0:1111"];
      for (const address of ["93.184.215.14", "2606:4700:4700::1111"])
        expect([address, isRefusedAddress(address, own)]).toEqual([address, true]);
      expect(isRefusedAddress("8.8.8.8", own)).toBe(false);
      for (const address of ownAddresses())
        expect([address, isRefusedAddress(address)]).toEqual([address, true]);
    });

    it("is for admins only, and never shows a secret again after it is made", async () => {
      const token = await admin("admins");
      const member = await server.token("max@admins.example");
      await call(token, "GET", "/api/v1/me");
      await call(member, "GET", "/api/v1/me");
      const made = await register(token, "/admins", ["contact.created"]);
      expect(made.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      for (const [method, path] of [
        ["GET", "/api/v1/webhooks"],
        ["GET", `/api/v1/webhooks/${made.endpoint.id}`],
        ["GET", `/api/v1/webhooks/${made.endpoint.id}/deliveries`],
        ["POST", `/api/v1/webhooks/${made.endpoint.id}/secret`],
        ["DELETE", `/api/v1/webhooks/${made.endpoint.id}`],
      ] as const)
        expect([path, (await server.request(method, path, { token: member })).status]).toEqual([path, 403]);
      const read = await server.request("GET", `/api/v1/webhooks/${made.endpoint.id}`, { token });
      expect(JSON.stringify(read.body)).not.toContain(made.secret);
      expect(JSON.stringify(await call(token, "GET", "/api/v1/webhooks"))).not.toContain(made.secret);
      const changed = WebhookEndpoint.parse(
        await call(token, "PATCH", `/api/v1/webhooks/${made.endpoint.id}`, {
          version: made.endpoint.version,
          active: false,
          events: ["deal.won", "deal.won"],
        }),
      );
      expect(changed).toMatchObject({ active: false, events: ["deal.won"], version: 2 });
      const stale = await server.request("PATCH", `/api/v1/webhooks/${made.endpoint.id}`, {
        token,
        body: { version: 1, active: true },
      });
      expect(stale.status).toBe(409);
    });
  });

  describe("delivery", () => {
    it("signs each delivery so a receiver verifies it with node:crypto alone, with the event's id and type", async () => {
      const token = await admin("signed");
      const made = await register(token, "/signed", ["contact.created"]);
      const anna = await contact(token, "Anna");
      await worker.runOnce();
      const [got] = receiver.at("/signed");
      expect(got?.event).toMatchObject({
        type: "contact.created",
        data: { id: anna.id, displayName: "Anna" },
      });
      expect(got?.headers["rapport-event-id"]).toBe(got?.event.id);
      expect(got?.headers["rapport-event-type"]).toBe("contact.created");
      expect(got?.headers["content-type"]).toBe("application/json");
      const signature = String(got?.headers["rapport-signature"]);
      const unix = Math.floor(clock().getTime() / 1000);
      expect(verifyRapportSignature(made.secret, signature, got?.body ?? "", unix)).toBe(true);
      // Any other secret, body or a stale time fails.
      expect(verifyRapportSignature(`${made.secret}x`, signature, got?.body ?? "", unix)).toBe(false);
      expect(verifyRapportSignature(made.secret, signature, `${got?.body} `, unix)).toBe(false);
      expect(verifyRapportSignature(made.secret, signature, got?.body ?? "", unix + 3600)).toBe(false);

      // A rotated secret signs from then on.
      const rotated = WebhookEndpointWithSecret.parse(
        await call(token, "POST", `/api/v1/webhooks/${made.endpoint.id}/secret`),
      );
      expect(rotated.secret).not.toBe(made.secret);
      await contact(token, "Bo");
      await worker.runOnce();
      const second = receiver.at("/signed")[1];
      const header = String(second?.headers["rapport-signature"]);
      expect(verifyRapportSignature(rotated.secret, header, second?.body ?? "", unix)).toBe(true);
      expect(verifyRapportSignature(made.secret, header, second?.body ?? "", unix)).toBe(false);
      const [latest] = await deliveries(token, made.endpoint.id);
      expect(latest).toMatchObject({ state: "delivered", attempts: 1, lastStatus: 200, nextAttemptAt: null });
    });

    it("is verified by the receiver's example in the README and docs/webhooks.md, run as written", async () => {
      const token = await admin("documented");
      const made = await register(token, "/documented", ["contact.created"]);
      await contact(token, "Željko");
      await worker.runOnce();
      const [got] = receiver.at("/documented");
      const header = String(got?.headers["rapport-signature"]);
      for (const page of ["README.md", "docs/webhooks.md"]) {
        const text = readFileSync(path.join(__dirname, "..", "..", page), "utf8");
        const code = /```js\n([\s\S]*?function verifyRapport[\s\S]*?)```/.exec(text)?.[1];
        expect([page, typeof code]).toEqual([page, "string"]);
        // The page's own code, with Node's require, as a receiver would paste it.
        const verifyRapport = new Function("require", `${code}\nreturn verifyRapport;`)(require) as (
          secret: string,
          header: string,
          rawBody: string | Buffer,
        ) => boolean;
        expect([page, verifyRapport(made.secret, header, Buffer.from(got?.body ?? "", "utf8"))]).toEqual([
          page,
          true,
        ]);
        expect([page, verifyRapport(`${made.secret}x`, header, got?.body ?? "")]).toEqual([page, false]);
      }
    });

    it("writes the event with the write: a refused write leaves none, an organisation without endpoints none", async () => {
      const events = async () =>
        (await sql<{ n: number }>`select count(*)::int as n from webhook_events`.execute(server.database.db))
          .rows[0]?.n;
      const quiet = await admin("quiet");
      const before = await events();
      await contact(quiet, "Nobody");
      expect(await events()).toBe(before);
      const token = await admin("refused");
      await register(token, "/refused", ["contact.created"]);
      await contact(token, "Cleo");
      const afterOne = await events();
      // The same address again: 409, rolled back with its event.
      const twin = await server.request("POST", "/api/v1/contacts", {
        token,
        body: { displayName: "Cleo again", emails: ["cleo@customer.example"] },
      });
      expect(twin.status).toBe(409);
      expect(await events()).toBe(afterOne);
    });

    it("retries a failing receiver with growing waits until it comes back, and delivers every event", async () => {
      const token = await admin("flaky");
      let failures = 2;
      receiver.answer("/flaky", () => (failures-- > 0 ? 500 : 200));
      const made = await register(token, "/flaky", ["contact.created"]);
      await contact(token, "Dana");
      // The wait counts from the attempt's end, its time from its start: the attempt's own time (at most the
      // run's, long on a busy machine) comes on top of the back-off.
      const run = async () => {
        const began = Date.now();
        await worker.runOnce();
        return Date.now() - began;
      };
      const ran1 = await run();
      let [delivery] = await deliveries(token, made.endpoint.id);
      expect(delivery).toMatchObject({ state: "pending", attempts: 1, lastStatus: 500 });
      expect(delivery?.lastError).toMatch(/^HTTP 500/);
      const wait1 = Date.parse(delivery?.nextAttemptAt ?? "") - Date.parse(delivery?.lastAttemptAt ?? "");
      expect(wait1).toBeGreaterThanOrEqual(BASE_MS / 2 - 5);
      expect(wait1).toBeLessThanOrEqual(BASE_MS + ran1 + 5);
      // Not due yet: nothing is sent.
      await worker.runOnce();
      expect(receiver.at("/flaky")).toHaveLength(1);
      later(BASE_MS);
      const ran2 = await run();
      [delivery] = await deliveries(token, made.endpoint.id);
      expect(delivery).toMatchObject({ state: "pending", attempts: 2 });
      const wait2 = Date.parse(delivery?.nextAttemptAt ?? "") - Date.parse(delivery?.lastAttemptAt ?? "");
      expect(wait2).toBeGreaterThanOrEqual(BASE_MS - 5);
      expect(wait2).toBeLessThanOrEqual(2 * BASE_MS + ran2 + 5);
      later(2 * BASE_MS);
      await worker.runOnce();
      [delivery] = await deliveries(token, made.endpoint.id);
      expect(delivery).toMatchObject({ state: "delivered", attempts: 3, lastStatus: 200, lastError: null });
      const ids = receiver.at("/flaky").map((r) => r.headers["rapport-event-id"]);
      expect(ids).toHaveLength(3);
      expect(new Set(ids).size).toBe(1);
    });

    it("times out a receiver that does not answer, gives up after the last attempt, and sends again on request", async () => {
      const token = await admin("silent");
      let silent = true;
      receiver.answer("/silent", () => (silent ? "hang" : 200));
      const made = await register(token, "/silent", ["contact.created"]);
      await contact(token, "Eve");
      for (let i = 0; i < 3; i++) {
        await worker.runOnce();
        later(60_000);
      }
      let [delivery] = await deliveries(token, made.endpoint.id);
      expect(delivery).toMatchObject({ state: "failed", attempts: 3, lastStatus: null, nextAttemptAt: null });
      expect(delivery?.lastError).toBe(`no answer within ${TIMEOUT_MS} ms`);
      await worker.runOnce();
      expect(receiver.at("/silent")).toHaveLength(3);

      silent = false;
      const again = await call<{ state: string; attempts: number }>(
        token,
        "POST",
        `/api/v1/webhooks/${made.endpoint.id}/deliveries/${delivery?.id}/resend`,
      );
      expect(again).toMatchObject({ state: "pending", attempts: 0 });
      await worker.runOnce();
      [delivery] = await deliveries(token, made.endpoint.id);
      expect(delivery).toMatchObject({ state: "delivered", attempts: 1 });
      const ids = receiver.at("/silent").map((r) => r.headers["rapport-event-id"]);
      expect(new Set(ids)).toEqual(new Set([delivery?.eventId]));
      // A delivered one can be sent again too, with the same event id.
      await call(token, "POST", `/api/v1/webhooks/${made.endpoint.id}/deliveries/${delivery?.id}/resend`);
      await worker.runOnce();
      expect(receiver.at("/silent").at(-1)?.headers["rapport-event-id"]).toBe(delivery?.eventId);
      const unknown = await server.request(
        "POST",
        `/api/v1/webhooks/${made.endpoint.id}/deliveries/${randomUUID()}/resend`,
        { token },
      );
      expect(unknown.status).toBe(404);
    });

    it("treats a redirect as a failure and never follows it", async () => {
      const token = await admin("moved");
      receiver.answer("/moved", () => ({ status: 302, location: receiver.url("/moved-here") }));
      const made = await register(token, "/moved", ["contact.created"]);
      await contact(token, "Finn");
      await worker.runOnce();
      const [delivery] = await deliveries(token, made.endpoint.id);
      expect(delivery).toMatchObject({ state: "pending", lastStatus: 302 });
      expect(delivery?.lastError).toMatch(/redirects are not followed/);
      expect(receiver.at("/moved-here")).toEqual([]);
    });

    it("gives every endpoint its turn: a dead receiver's backlog holds no other organisation's delivery", async () => {
      const dead = await admin("dead-backlog");
      const alive = await admin("alive-neighbour");
      const arrivals: string[] = [];
      receiver.answer("/dead-backlog", () => {
        arrivals.push("dead");
        return "hang";
      });
      receiver.answer("/alive-neighbour", () => {
        arrivals.push("alive");
        return 200;
      });
      const deadEndpoint = await register(dead, "/dead-backlog", ["contact.created"]);
      for (const name of ["Lea", "Mo", "Nia", "Ola", "Pia", "Quinn"]) await contact(dead, name);
      // Made after the dead receiver's six: by their times alone it would wait for six timeouts.
      const made = await register(alive, "/alive-neighbour", ["contact.created"]);
      await contact(alive, "Rut");
      await worker.runOnce();
      // Two lanes: the dead receiver takes one of them at most while the other organisation's delivery goes.
      expect(arrivals.indexOf("alive")).toBeGreaterThanOrEqual(0);
      expect(arrivals.indexOf("alive")).toBeLessThanOrEqual(1);
      // Each of the dead receiver's deliveries was tried (some again, once their short back-off ran out).
      expect(new Set(receiver.at("/dead-backlog").map((r) => r.event.id)).size).toBe(6);
      expect((await deliveries(alive, made.endpoint.id))[0]).toMatchObject({ state: "delivered" });
      // Its retries would take the other tests' runs' time.
      await call(dead, "DELETE", `/api/v1/webhooks/${deadEndpoint.endpoint.id}`);
    });

    it("gives up a delivery nothing touched for 30 days, so a backlog no lane reaches does not grow for ever", async () => {
      const token = await admin("forgotten");
      const made = await register(token, "/forgotten", ["contact.created"]);
      await contact(token, "Sam");
      const [waiting] = await deliveries(token, made.endpoint.id);
      // As if it had waited 31 days behind a dead receiver's backlog: never tried, and not due now either.
      await sql`update webhook_deliveries set created_at = now() - interval '31 days',
        updated_at = now() - interval '31 days', next_attempt_at = now() + interval '1 day'
        where id = ${waiting?.id}`.execute(server.database.db);
      const fresh = createWebhookWorker({
        database: server.database,
        clock,
        config: { ...workerConfig, concurrency: 1 },
      });
      await fresh.runOnce();
      const [given] = await deliveries(token, made.endpoint.id);
      expect(given).toMatchObject({
        state: "failed",
        attempts: 0,
        lastError: "not delivered within 30 days",
        nextAttemptAt: null,
      });
      expect(receiver.at("/forgotten")).toEqual([]);
      // Sent again, it goes.
      await call(token, "POST", `/api/v1/webhooks/${made.endpoint.id}/deliveries/${given?.id}/resend`);
      await fresh.runOnce();
      expect(receiver.at("/forgotten")).toHaveLength(1);
    });

    it("keeps one record's events in order while an earlier one waits for its retry", async () => {
      const token = await admin("ordered");
      let down = true;
      receiver.answer("/ordered", (r) => (down && r.event.data.displayName === "Gus" ? 503 : 200));
      const made = await register(token, "/ordered", ["contact.created", "contact.updated"]);
      const gus = await contact(token, "Gus");
      await call(token, "PATCH", `/api/v1/contacts/${gus.id}`, { version: gus.version, title: "CEO" });
      const hal = await contact(token, "Hal");
      await worker.runOnce();
      await worker.runOnce();
      // Gus's creation failed; his update waits behind it; Hal, another record, goes.
      const sent = receiver.at("/ordered").map((r) => [r.event.type, r.event.data.id]);
      expect(sent).toHaveLength(2);
      expect(sent).toEqual(
        expect.arrayContaining([
          ["contact.created", gus.id],
          ["contact.created", hal.id],
        ]),
      );
      down = false;
      later(BASE_MS);
      await worker.runOnce();
      const gusEvents = receiver
        .at("/ordered")
        .filter((r) => r.event.data.id === gus.id)
        .map((r) => r.event.type);
      expect(gusEvents).toEqual(["contact.created", "contact.created", "contact.updated"]);
      expect((await deliveries(token, made.endpoint.id)).every((d) => d.state === "delivered")).toBe(true);
    });

    it("refuses at delivery time an address the server may not reach, also behind a name (DNS rebinding)", async () => {
      const token = await admin("rebind");
      const byName = await call<{ endpoint: { id: string } }>(token, "POST", "/api/v1/webhooks", {
        url: `http://localhost:${receiver.port}/rebind`,
        events: ["contact.created"],
      });
      const strictWorker = createWebhookWorker({
        database: server.database,
        clock,
        config: { ...workerConfig, allowPrivate: false, concurrency: 1 },
      });
      await contact(token, "Ida");
      await strictWorker.runOnce();
      const [delivery] = await deliveries(token, byName.endpoint.id);
      expect(delivery).toMatchObject({ state: "pending", attempts: 1, lastStatus: null });
      expect(delivery?.lastError).toMatch(/may not reach/);
      // It says what would let it through, as the refusal at registration does.
      expect(delivery?.lastError).toMatch(/RAPPORT_WEBHOOKS_ALLOW_PRIVATE=1/);
      expect(receiver.at("/rebind")).toEqual([]);
      await call(token, "DELETE", `/api/v1/webhooks/${byName.endpoint.id}`);
    });

    it("tells of deals, tasks, notes, companies and erasures; a won deal carries the deal as an order", async () => {
      const token = await admin("events");
      await register(token, "/events");
      const company = await call<{ id: string; version: number }>(token, "POST", "/api/v1/companies", {
        name: "Fabrikam",
      });
      await call(token, "PATCH", `/api/v1/companies/${company.id}`, {
        version: company.version,
        phone: "+46 8 1",
      });
      const jo = await contact(token, "Jo");
      const { pipelines } = parse(PipelineList, await server.request("GET", "/api/v1/pipelines", { token }));
      const stages = pipelines[0]?.stages ?? [];
      const won = stages.find((s) => s.kind === "won");
      const deal = await call<{ id: string; version: number }>(token, "POST", "/api/v1/deals", {
        name: "Licences",
        amount: 1200,
        currency: "SEK",
        companyId: company.id,
        contactIds: [jo.id],
      });
      // Its lines: ten seats at 100 less 10 %, and a setup fee at a lower tax rate.
      const lined = await call<{ version: number }>(token, "PUT", `/api/v1/deals/${deal.id}/lines`, {
        currency: "SEK",
        version: deal.version,
        lines: [
          {
            name: "Seat licence",
            unit: "seat",
            quantity: "10",
            unitPrice: "100",
            discountPercent: "10",
            taxRate: "25",
          },
          { name: "Setup", quantity: "1", unitPrice: "300", taxRate: "12" },
        ],
      });
      await call(token, "POST", `/api/v1/deals/${deal.id}/stage`, {
        stageId: won?.id,
        version: lined.version,
      });
      const task = await call<{ id: string; version: number }>(token, "POST", "/api/v1/tasks", {
        title: "Send the invoice",
        dueAt: null,
        contactId: jo.id,
      });
      await call(token, "PATCH", `/api/v1/tasks/${task.id}`, { version: task.version, done: true });
      await call(token, "POST", "/api/v1/notes", {
        kind: "note",
        contactId: jo.id,
        body: "Jo's private words",
      });
      await worker.runOnce();
      const types = receiver.at("/events").map((r) => r.event.type);
      expect(types).toEqual(
        expect.arrayContaining([
          "company.created",
          "company.updated",
          "contact.created",
          "deal.created",
          "deal.stage_changed",
          "deal.won",
          "task.created",
          "task.done",
          "interaction.logged",
        ]),
      );
      const order = receiver.at("/events").find((r) => r.event.type === "deal.won");
      expect(order?.event.data).toMatchObject({
        id: deal.id,
        name: "Licences",
        amount: 1200,
        currency: "SEK",
        companyId: company.id,
        stage: { id: won?.id, kind: "won" },
        lines: [
          { name: "Seat licence", unit: "seat", quantity: "10", unitPrice: "100.00", discountPercent: "10" },
          { name: "Setup", quantity: "1", unitPrice: "300.00", taxRate: "12" },
        ],
        totals: { net: "1200.00", tax: "261.00", total: "1461.00" },
      });

      await call(token, "POST", `/api/v1/contacts/${jo.id}/erase`);
      await worker.runOnce();
      const erased = receiver.at("/events").find((r) => r.event.type === "contact.erased");
      expect(erased?.event.data).toEqual({ id: jo.id });
      // What is kept of the events about Jo names Jo no more.
      const kept = await sql<{ payload: unknown }>`
        select payload from webhook_events where record_type in ('contact', 'interaction', 'task')
          and strpos(payload::text, ${jo.id}) > 0`.execute(server.database.db);
      expect(JSON.stringify(kept.rows)).not.toMatch(/Jo's private words|jo@customer\.example|"Jo"/);
    });

    it("keeps organisations apart: an endpoint hears only its own organisation's events", async () => {
      const ours = await admin("ours");
      const theirs = await admin("theirs");
      const mine = await register(ours, "/ours", ["contact.created"]);
      await register(theirs, "/theirs", ["contact.created"]);
      const kim = await contact(ours, "Kim");
      await worker.runOnce();
      expect(receiver.at("/ours").map((r) => r.event.data.id)).toEqual([kim.id]);
      expect(receiver.at("/theirs")).toEqual([]);
      const foreign = await server.request("GET", `/api/v1/webhooks/${mine.endpoint.id}/deliveries`, {
        token: theirs,
      });
      expect(foreign.status).toBe(404);
    });
  });
});
