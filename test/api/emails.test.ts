import { sql } from "kysely";
import { Interaction, LoggedEmail } from "../../src/shared/interactions";
import { LookupResponse, Timeline } from "../../src/shared/people";
import { type TestServer, parse, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

describe.each(storeKinds)("logging email (%s)", (kind) => {
  let server: TestServer;
  let rita: string;
  let colleague: string;
  let seq = 0;
  const messageId = () => `<msg-${++seq}-${Date.now()}@mail.contoso.example>`;

  beforeAll(async () => {
    server = await startTestServer(kind);
    rita = await server.token("rita@contoso.example");
    colleague = await server.token("carl@contoso.example");
  });
  afterAll(() => server.close());

  const contact = async (displayName: string, emails: string[], token = rita) => {
    const response = await server.request<{ id: string }>("POST", "/api/v1/contacts", {
      token,
      body: { displayName, emails },
    });
    expect(response.status).toBe(201);
    return response.body.id;
  };
  const email = (overrides: Record<string, unknown> = {}) => ({
    internetMessageId: messageId(),
    subject: "Proposal for Q3",
    from: { address: "anna.berg@fabrikam.example", name: "Anna Berg" },
    to: [{ address: "rita@contoso.example", name: "Rita Rep" }],
    cc: [],
    sentAt: "2026-11-20T09:30:00.000Z",
    bodyText: "Hi Rita,\nhere is the proposal.\n\nAnna",
    ...overrides,
  });
  const interactionCount = async () =>
    Number(
      (
        await server.database.db
          .selectFrom("interactions")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("logs an email once and answers 200 with the same interaction when it is logged again", async () => {
    const annaId = await contact("Anna Berg", ["anna.berg@fabrikam.example"]);
    const body = email();
    const first = await server.request("POST", "/api/v1/emails", { token: rita, body });
    expect(first.status).toBe(201);
    const logged = parse(LoggedEmail, first);
    expect(logged.created).toBe(true);
    expect(logged.interaction.kind).toBe("email");
    expect(logged.interaction.direction).toBe("in");
    expect(logged.interaction.participants).toEqual([
      { address: "anna.berg@fabrikam.example", name: "Anna Berg", contactId: annaId, role: "from" },
      { address: "rita@contoso.example", name: "Rita Rep", contactId: null, role: "to" },
    ]);

    const again = await server.request("POST", "/api/v1/emails", { token: rita, body });
    expect(again.status).toBe(200);
    const second = parse(LoggedEmail, again);
    expect(second.created).toBe(false);
    expect(second.interaction.id).toBe(logged.interaction.id);
    expect(second.interaction.loggedBy).toHaveLength(1);
  });

  it("logs an email once when two colleagues log it, with both as loggers", async () => {
    const body = email();
    const byRita = parse(LoggedEmail, await server.request("POST", "/api/v1/emails", { token: rita, body }));
    const byCarl = await server.request("POST", "/api/v1/emails", { token: colleague, body });
    expect(byCarl.status).toBe(200);
    const logged = parse(LoggedEmail, byCarl);
    expect(logged.interaction.id).toBe(byRita.interaction.id);
    expect(logged.interaction.loggedBy).toHaveLength(2);
  });

  it("treats the message id with or without angle brackets as the same email", async () => {
    const id = `bracket-${Date.now()}@mail.example`;
    const a = await server.request("POST", "/api/v1/emails", {
      token: rita,
      body: email({ internetMessageId: `<${id}>` }),
    });
    const b = await server.request("POST", "/api/v1/emails", {
      token: rita,
      body: email({ internetMessageId: ` ${id} ` }),
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(parse(LoggedEmail, b).interaction.id).toBe(parse(LoggedEmail, a).interaction.id);
  });

  it("stores exactly one interaction when 50 requests log the same email at once", async () => {
    const before = await interactionCount();
    const body = email();
    const tokens = await Promise.all(
      Array.from({ length: 5 }, (_, i) => server.token(`rep${i}@contoso.example`)),
    );
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        server.request("POST", "/api/v1/emails", { token: tokens[i % 5], body }),
      ),
    );
    expect(responses.map((r) => r.status).sort((a, b) => a - b)).toEqual([...Array(49).fill(200), 201]);
    const ids = new Set(responses.map((r) => parse(LoggedEmail, r).interaction.id));
    expect(ids.size).toBe(1);
    expect(await interactionCount()).toBe(before + 1);
    const last = parse(LoggedEmail, await server.request("POST", "/api/v1/emails", { token: rita, body }));
    expect(new Set(last.interaction.loggedBy).size).toBe(6);
  });

  it("keeps a bounded plain-text excerpt, never the raw HTML", async () => {
    const html = `<html><head><style>p{color:red}</style></head><body><p>Hello <b>Rita</b></p><script>alert(1)</script>${"<p>more text here</p>".repeat(5000)}</body></html>`;
    const logged = parse(
      LoggedEmail,
      await server.request("POST", "/api/v1/emails", { token: rita, body: email({ bodyText: html }) }),
    );
    const body = logged.interaction.body ?? "";
    expect(body.startsWith("Hello Rita")).toBe(true);
    expect(body).not.toMatch(/<[a-z]/i);
    expect(body).not.toContain("alert(1)");
    expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(8192);
  });

  it("reads at most 256 KiB of a body: a million spaces without a line break are logged, the excerpt marked as cut", async () => {
    const bodyText = `Hello Rita${" ".repeat(999_986)}Anna`;
    expect(bodyText.length).toBe(1_000_000);
    const logged = parse(
      LoggedEmail,
      await server.request("POST", "/api/v1/emails", { token: rita, body: email({ bodyText }) }),
    );
    expect(logged.interaction.body).toBe("Hello Rita…");
  });

  it("marks mail from the organisation's own domain as outgoing", async () => {
    const logged = parse(
      LoggedEmail,
      await server.request("POST", "/api/v1/emails", {
        token: rita,
        body: email({
          from: { address: "Rita@Contoso.example" },
          to: [{ address: "anna.berg@fabrikam.example" }],
        }),
      }),
    );
    expect(logged.interaction.direction).toBe("out");
    expect(logged.interaction.participants[0]?.address).toBe("rita@contoso.example");
  });

  it("links the person's single open deal, and none when there are several", async () => {
    const one = await contact("Olle One", ["olle@one.example"]);
    const deal = await server.request<{ id: string }>("POST", "/api/v1/deals", {
      token: rita,
      body: { name: "One deal", contactIds: [one] },
    });
    const linked = parse(
      LoggedEmail,
      await server.request("POST", "/api/v1/emails", {
        token: rita,
        body: email({ from: { address: "olle@one.example" } }),
      }),
    );
    expect(linked.interaction.dealId).toBe(deal.body.id);

    const two = await contact("Tove Two", ["tove@two.example"]);
    for (const name of ["First", "Second"]) {
      await server.request("POST", "/api/v1/deals", { token: rita, body: { name, contactIds: [two] } });
    }
    const unlinked = parse(
      LoggedEmail,
      await server.request("POST", "/api/v1/emails", {
        token: rita,
        body: email({ from: { address: "tove@two.example" } }),
      }),
    );
    expect(unlinked.interaction.dealId).toBeNull();
  });

  it("links the deal the rep picked, also when the email was logged before without one", async () => {
    const two = await contact("Tina Twice", ["tina@twice.example"]);
    const deals = [];
    for (const name of ["Alpha", "Beta"]) {
      deals.push(
        (
          await server.request<{ id: string }>("POST", "/api/v1/deals", {
            token: rita,
            body: { name, contactIds: [two] },
          })
        ).body.id,
      );
    }
    const body = email({ from: { address: "tina@twice.example" } });
    expect(
      parse(LoggedEmail, await server.request("POST", "/api/v1/emails", { token: rita, body })).interaction
        .dealId,
    ).toBeNull();
    const picked = parse(
      LoggedEmail,
      await server.request("POST", "/api/v1/emails", { token: rita, body: { ...body, dealId: deals[1] } }),
    );
    expect(picked.interaction.dealId).toBe(deals[1]);
    const notReplaced = parse(
      LoggedEmail,
      await server.request("POST", "/api/v1/emails", {
        token: colleague,
        body: { ...body, dealId: deals[0] },
      }),
    );
    expect(notReplaced.interaction.dealId).toBe(deals[1]);
  });

  it("keeps the first deal picked when two colleagues pick different deals at the same moment", async () => {
    const person = await contact("Pia Pick", ["pia@pick.example"]);
    const deals: string[] = [];
    for (const name of ["Left", "Right"]) {
      deals.push(
        (
          await server.request<{ id: string }>("POST", "/api/v1/deals", {
            token: rita,
            body: { name, contactIds: [person] },
          })
        ).body.id,
      );
    }
    const body = email({ from: { address: "pia@pick.example" } });
    await server.request("POST", "/api/v1/emails", { token: rita, body });
    const [a, b] = await Promise.all([
      server.request("POST", "/api/v1/emails", { token: rita, body: { ...body, dealId: deals[0] } }),
      server.request("POST", "/api/v1/emails", { token: colleague, body: { ...body, dealId: deals[1] } }),
    ]);
    const chosen = parse(LoggedEmail, a).interaction.dealId;
    expect(deals).toContain(chosen);
    expect(parse(LoggedEmail, b).interaction.dealId).toBe(chosen);
  });

  it("links emails logged before a contact existed once the contact is added", async () => {
    const body = email({ from: { address: "later@newco.example", name: "Lena Later" } });
    const logged = parse(LoggedEmail, await server.request("POST", "/api/v1/emails", { token: rita, body }));
    expect(logged.interaction.participants[0]?.contactId).toBeNull();
    const id = await contact("Lena Later", ["LATER@newco.example"]);
    const lookup = parse(
      LookupResponse,
      await server.request("GET", "/api/v1/people/lookup?email=later@newco.example", { token: rita }),
    );
    expect(lookup.results[0]?.contact?.id).toBe(id);
    expect(lookup.results[0]?.contact?.recentInteractions.map((i) => i.id)).toContain(logged.interaction.id);
  });

  it("links an email to the contact whichever spelling of an internationalised address it carries", async () => {
    const jorgId = await contact("Jörg Müller", ["jorg@müller.example"]);
    const logged = parse(
      LoggedEmail,
      await server.request("POST", "/api/v1/emails", {
        token: rita,
        body: email({ from: { address: "Jorg@XN--MLLER-KVA.example", name: "Jörg Müller" } }),
      }),
    );
    expect(logged.interaction.participants[0]).toMatchObject({
      address: "jorg@xn--mller-kva.example",
      contactId: jorgId,
    });
    // Logged before the contact existed, in the other spelling: the contact picks it up when added.
    const earlier = parse(
      LoggedEmail,
      await server.request("POST", "/api/v1/emails", {
        token: rita,
        body: email({ from: { address: "asa@åsa.example" } }),
      }),
    );
    expect(earlier.interaction.participants[0]?.contactId).toBeNull();
    const asaId = await contact("Åsa", ["asa@xn--sa-xia.example"]);
    const again = parse(
      LoggedEmail,
      await server.request("POST", "/api/v1/emails", {
        token: rita,
        body: email({
          internetMessageId: earlier.interaction.internetMessageId,
          from: { address: "asa@åsa.example" },
        }),
      }),
    );
    expect(again.interaction.participants[0]?.contactId).toBe(asaId);
  });

  it("rejects an invalid address and stores nothing", async () => {
    const before = await interactionCount();
    const response = await server.request("POST", "/api/v1/emails", {
      token: rita,
      body: email({ to: [{ address: "not an address" }] }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(response.body).toMatchObject({ code: "invalid_request", status: 400 });
    expect(await interactionCount()).toBe(before);
  });

  it("rejects a deal of another organisation as unknown and stores nothing", async () => {
    const outsider = await server.token("eve@evil.example");
    const theirs = await server.request<{ id: string }>("POST", "/api/v1/deals", {
      token: outsider,
      body: { name: "Evil deal" },
    });
    const before = await interactionCount();
    const response = await server.request("POST", "/api/v1/emails", {
      token: rita,
      body: email({ dealId: theirs.body.id }),
    });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: "not_found" });
    expect(await interactionCount()).toBe(before);
  });

  it("keeps the same email apart in two organisations", async () => {
    const body = email();
    const outsider = await server.token("eve@evil.example");
    const ours = await server.request("POST", "/api/v1/emails", { token: rita, body });
    const theirs = await server.request("POST", "/api/v1/emails", { token: outsider, body });
    expect(ours.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(parse(LoggedEmail, theirs).interaction.id).not.toBe(parse(LoggedEmail, ours).interaction.id);
    const read = await server.request("GET", `/api/v1/emails/${parse(LoggedEmail, ours).interaction.id}`, {
      token: outsider,
    });
    expect(read.status).toBe(404);
  });

  describe("logged as it is sent, then seen as the sent copy", () => {
    const sent = (overrides: Record<string, unknown> = {}) => {
      const { internetMessageId: _none, ...draft } = email({
        from: { address: "rita@contoso.example", name: "Rita Rep" },
        to: [{ address: "anna.berg@fabrikam.example", name: "Anna Berg" }],
        subject: "Our offer",
        source: "on-send",
      });
      return { ...draft, ...overrides };
    };
    const log = (body: unknown, token = rita) => server.request("POST", "/api/v1/emails", { token, body });
    const auditOf = async (action: string, id: string) =>
      server.database.db
        .selectFrom("audit_events")
        .select(["action", "details"])
        .where("action", "=", action)
        .where("entity_id", "=", id)
        .execute();

    it("logs by the Rapport key alone, and the sent copy with its message id joins that one interaction", async () => {
      const key = crypto.randomUUID();
      const onSend = await log(sent({ rapportKey: key }));
      expect(onSend.status).toBe(201);
      const first = parse(LoggedEmail, onSend).interaction;
      expect([first.internetMessageId, first.rapportKey, first.direction]).toEqual([null, key, "out"]);

      // The handler ran twice (a retried send): still one.
      const again = parse(LoggedEmail, await log(sent({ rapportKey: key })));
      expect([again.created, again.interaction.id]).toEqual([false, first.id]);

      const id = messageId();
      const copy = await log(sent({ rapportKey: key, internetMessageId: id, source: "manual" }));
      expect(copy.status).toBe(200);
      expect(parse(LoggedEmail, copy).interaction).toMatchObject({
        id: first.id,
        internetMessageId: id,
        rapportKey: key,
        version: 2,
      });
      expect(await auditOf("email.completed", first.id)).toHaveLength(1);
      // From now on the message id alone finds it too (a colleague's inbox, the mailbox sync).
      const byId = parse(LoggedEmail, await log(sent({ internetMessageId: id }), colleague));
      expect([byId.created, byId.interaction.id, byId.interaction.loggedBy.length]).toEqual([
        false,
        first.id,
        2,
      ]);
    });

    it("makes one email of two logged meanwhile: by key as it was sent, by message id from a colleague's inbox", async () => {
      const key = crypto.randomUUID();
      const id = messageId();
      const onSend = parse(LoggedEmail, await log(sent({ rapportKey: key }))).interaction;
      const received = parse(
        LoggedEmail,
        await log(sent({ internetMessageId: id, source: "manual" }), colleague),
      );
      expect(received.created).toBe(true);
      const before = await interactionCount();

      const joined = parse(LoggedEmail, await log(sent({ rapportKey: key, internetMessageId: id })));
      expect(joined.interaction).toMatchObject({
        id: received.interaction.id,
        internetMessageId: id,
        rapportKey: key,
      });
      expect(joined.interaction.loggedBy.sort()).toEqual(
        [...new Set([...onSend.loggedBy, ...received.interaction.loggedBy])].sort(),
      );
      expect(await interactionCount()).toBe(before - 1);
      expect((await server.request("GET", `/api/v1/emails/${onSend.id}`, { token: rita })).status).toBe(404);
      expect(await auditOf("email.merged", received.interaction.id)).toEqual([
        { action: "email.merged", details: { merged: onSend.id } },
      ]);
    });

    it("refuses a key already given to another email, and changes nothing", async () => {
      const key = crypto.randomUUID();
      const id = messageId();
      await log(sent({ rapportKey: key, internetMessageId: id }));
      const before = await interactionCount();
      const clash = await log(sent({ rapportKey: key, internetMessageId: messageId() }));
      expect(clash.status).toBe(409);
      expect(clash.body).toMatchObject({ code: "id_taken" });
      expect(await interactionCount()).toBe(before);
    });

    it("lets no other member merge, take over or join an email by its Rapport key; its sender's copy still joins", async () => {
      const key = crypto.randomUUID();
      const onSend = parse(LoggedEmail, await log(sent({ rapportKey: key }))).interaction;
      // Another email, logged by Carl; he reads Rita's key off her interaction.
      const other = parse(LoggedEmail, await log(email(), colleague)).interaction;
      const before = await interactionCount();

      // With the other email's message id: that email is joined by its id, the key ignored, nothing merged.
      const withOther = await log(
        { ...email(), internetMessageId: other.internetMessageId, rapportKey: key },
        colleague,
      );
      expect(withOther.status).toBe(200);
      expect(parse(LoggedEmail, withOther).interaction).toMatchObject({ id: other.id, rapportKey: null });
      // With a new message id: logged on its own, without the key.
      const fresh = await log({ ...email(), rapportKey: key }, colleague);
      expect(fresh.status).toBe(201);
      expect(parse(LoggedEmail, fresh).interaction.rapportKey).toBeNull();
      // With the key alone there is nothing else to log it by: refused.
      const keyOnly = await log(sent({ rapportKey: key }), colleague);
      expect(keyOnly.status).toBe(409);
      expect(keyOnly.body).toMatchObject({ code: "id_taken" });

      expect(await interactionCount()).toBe(before + 1);
      expect(await auditOf("email.merged", other.id)).toEqual([]);
      const kept = await server.request("GET", `/api/v1/emails/${onSend.id}`, { token: rita });
      expect(parse(Interaction, kept)).toEqual(onSend);

      // Rita's sent copy, from her mailbox, joins the interaction her add-in logged as it went.
      const id = messageId();
      const copy = parse(
        LoggedEmail,
        await log(sent({ rapportKey: key, internetMessageId: id, source: "auto" })),
      );
      expect(copy.interaction).toMatchObject({ id: onSend.id, internetMessageId: id, rapportKey: key });
      expect(copy.interaction.loggedBy).toEqual(onSend.loggedBy);
    });

    it("keeps an email's Rapport key: a member's own key posted with a colleague's email's message id takes nothing over", async () => {
      // Rita's email, logged as it went and completed by its sent copy: her key, her message id.
      const ritasKey = crypto.randomUUID();
      const id = messageId();
      const ritas = parse(LoggedEmail, await log(sent({ rapportKey: ritasKey }))).interaction;
      await log(sent({ rapportKey: ritasKey, internetMessageId: id, source: "auto" }));
      // Carl logs an email of his own under his own key, then posts that key with Rita's email's message id.
      const carlsKey = crypto.randomUUID();
      const carls = parse(
        LoggedEmail,
        await log(
          sent({ rapportKey: carlsKey, from: { address: "carl@contoso.example" }, subject: "Mine" }),
          colleague,
        ),
      ).interaction;
      const before = await interactionCount();
      const joined = await log(sent({ rapportKey: carlsKey, internetMessageId: id }), colleague);
      expect(joined.status).toBe(200);
      // He joins Rita's email by its message id as any colleague would; his own email stays as it was.
      expect(parse(LoggedEmail, joined).interaction).toMatchObject({ id: ritas.id, rapportKey: null });
      expect(await interactionCount()).toBe(before);
      expect(await auditOf("email.merged", ritas.id)).toEqual([]);
      const stored = await server.database.db
        .selectFrom("interactions")
        .select(["id", "rapport_key", "internet_message_id"])
        .where("id", "in", [ritas.id, carls.id])
        .orderBy(sql`id = ${ritas.id}`, "desc")
        .execute();
      expect(stored).toEqual([
        { id: ritas.id, rapport_key: ritasKey, internet_message_id: id },
        { id: carls.id, rapport_key: carlsKey, internet_message_id: null },
      ]);
      // Rita's on-send log, retried late, still finds her email by her key: no second interaction.
      const late = await log(sent({ rapportKey: ritasKey }));
      expect([late.status, parse(LoggedEmail, late).interaction.id]).toEqual([200, ritas.id]);
      expect(await interactionCount()).toBe(before);
    });

    it("shows an email's Rapport key to the key's owner only", async () => {
      const kim = await contact("Kim Key", ["kim@keys.example"]);
      const key = crypto.randomUUID();
      const id = messageId();
      const toKim = { to: [{ address: "kim@keys.example", name: "Kim Key" }] };
      const logged = parse(
        LoggedEmail,
        await log(sent({ ...toKim, rapportKey: key, internetMessageId: id })),
      ).interaction;
      expect(logged.rapportKey).toBe(key);
      const asRita = parse(
        Interaction,
        await server.request("GET", `/api/v1/emails/${logged.id}`, { token: rita }),
      );
      expect(asRita.rapportKey).toBe(key);
      const asCarl = await server.request("GET", `/api/v1/emails/${logged.id}`, { token: colleague });
      expect(parse(Interaction, asCarl)).toMatchObject({ id: logged.id, rapportKey: null });
      const loggedAgain = parse(LoggedEmail, await log(sent({ ...toKim, internetMessageId: id }), colleague));
      expect(loggedAgain.interaction).toMatchObject({ id: logged.id, rapportKey: null });
      // Nor in the contact's profile or timeline; Rita sees it there (her pane knows her sent mail by it).
      const keysInProfile = async (token: string) =>
        parse(
          LookupResponse,
          await server.request("GET", "/api/v1/people/lookup?email=kim%40keys.example", { token }),
        ).results[0]?.contact?.recentInteractions.map((i) => i.rapportKey);
      expect(await keysInProfile(colleague)).toEqual([null]);
      expect(await keysInProfile(rita)).toEqual([key]);
      const timeline = parse(
        Timeline,
        await server.request("GET", `/api/v1/contacts/${kim}/timeline`, { token: colleague }),
      );
      expect(timeline.items.map((i) => (i.type === "interaction" ? i.interaction.rapportKey : "?"))).toEqual([
        null,
      ]);
    });

    it("refuses an email with neither a message id nor a Rapport key", async () => {
      const before = await interactionCount();
      const response = await log(sent());
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: "invalid_request" });
      expect(await interactionCount()).toBe(before);
    });

    it("stores one interaction when the on-send log and the sent copy race", async () => {
      const key = crypto.randomUUID();
      const id = messageId();
      const before = await interactionCount();
      // The key is on Rita's copies only; her colleague's copy has the message id.
      const answers = await Promise.all([
        log(sent({ rapportKey: key })),
        log(sent({ rapportKey: key, internetMessageId: id })),
        log(sent({ internetMessageId: id }), colleague),
        log(sent({ rapportKey: key })),
        log(sent({ rapportKey: key, internetMessageId: id })),
        log(sent({ internetMessageId: id }), colleague),
      ]);
      expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
      expect(await interactionCount()).toBe(before + 1);
      const final = parse(LoggedEmail, await log(sent({ rapportKey: key, internetMessageId: id })));
      expect(final.interaction).toMatchObject({ internetMessageId: id, rapportKey: key });
    });
  });

  describe("logged automatically, held to the organisation's privacy rules by the write itself", () => {
    const post = (body: unknown, token = rita) => server.request("POST", "/api/v1/emails", { token, body });
    const storedWith = async (id: string) =>
      server.database.db
        .selectFrom("interactions")
        .select("id")
        .where("internet_message_id", "=", id)
        .execute();

    beforeAll(async () => {
      for (const [scope, entry] of [
        ["organization", "@payroll.fabrikam.example"],
        ["personal", "ceo@northwind.example"],
      ] as const) {
        const added = await server.request("POST", "/api/v1/blocklist", {
          token: rita,
          body: { scope, entry },
        });
        expect(added.status).toBe(201);
      }
    });

    it.each([
      [
        "a blocklisted domain",
        { from: { address: "pay@eu.payroll.fabrikam.example" } },
        "blocked_participant",
      ],
      [
        "the rep's own blocklisted address",
        { cc: [{ address: "CEO@northwind.example" }] },
        "blocked_participant",
      ],
      [
        "mail among the organisation's own addresses only",
        { from: { address: "carl@contoso.example" }, to: [{ address: "rita@contoso.example" }] },
        "internal_only",
      ],
    ])("refuses an automatic log with %s (422), and stores nothing", async (_case, overrides, reason) => {
      const before = await interactionCount();
      const body = email({ ...overrides, source: "auto" });
      const refused = await post(body);
      expect(refused.status).toBe(422);
      expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ code: "not_logged_by_policy", reason });
      expect(await interactionCount()).toBe(before);
      expect(await storedWith(body.internetMessageId)).toEqual([]);
    });

    it("refuses an on-send log the organisation's policy made (byPolicy) as an automatic one; the rep's ticked one is kept", async () => {
      const before = await interactionCount();
      const draft = { internetMessageId: undefined, rapportKey: crypto.randomUUID(), source: "on-send" };
      const toPayroll = email({ ...draft, to: [{ address: "pay@payroll.fabrikam.example" }] });
      const refused = await post({ ...toPayroll, byPolicy: true });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: "not_logged_by_policy", reason: "blocked_participant" });
      expect(await interactionCount()).toBe(before);
      const ticked = parse(LoggedEmail, await post(toPayroll));
      expect(ticked).toMatchObject({ created: true, interaction: { source: "on-send" } });
    });

    it("blocks by the logger's own list only: a colleague's automatic log of the same email is stored", async () => {
      const body = email({ cc: [{ address: "ceo@northwind.example" }], source: "auto" });
      expect((await post(body)).status).toBe(422);
      expect((await post(body, colleague)).status).toBe(201);
    });

    it("lets a rep log such an email by hand, and then no automatic log joins it", async () => {
      const body = email({ from: { address: "pay@payroll.fabrikam.example" } });
      const byHand = parse(LoggedEmail, await post(body));
      expect(byHand).toMatchObject({ created: true, interaction: { source: "manual" } });
      const auto = await post({ ...body, source: "auto" }, colleague);
      expect(auto.status).toBe(422);
      const kept = await server.request("GET", `/api/v1/emails/${byHand.interaction.id}`, { token: rita });
      expect(parse(Interaction, kept).loggedBy).toEqual(byHand.interaction.loggedBy);
    });
  });
});
