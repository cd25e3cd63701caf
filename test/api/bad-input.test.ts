import { Problem } from "../../src/shared/errors";
import { type Response, type TestServer, startTestServer } from "../helpers/server";
import { storeKinds } from "../helpers/stores";

describe.each(storeKinds)("bad input (%s)", (kind) => {
  let server: TestServer;
  let rita: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    rita = await server.token("rita@contoso.example");
  });
  afterAll(() => server.close());

  /** Rows in every business table: a refused request must leave every count as it was. */
  const counts = async () => {
    const tables = [
      "contacts",
      "contact_emails",
      "companies",
      "deals",
      "deal_contacts",
      "tasks",
      "interactions",
      "interaction_participants",
      "audit_events",
    ] as const;
    const result: Record<string, number> = {};
    for (const table of tables) {
      result[table] = Number(
        (
          await server.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    }
    return result;
  };

  const expectProblem = (response: Response, status: number, code: string) => {
    expect({ status: response.status, code: (response.body as { code?: string }).code }).toEqual({
      status,
      code,
    });
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(() => Problem.parse(response.body)).not.toThrow();
  };

  it("answers malformed JSON with 400 invalid_json and stores nothing", async () => {
    const before = await counts();
    const response = await server.request("POST", "/api/v1/contacts", {
      token: rita,
      raw: '{"displayName": "Anna',
      headers: { "content-type": "application/json" },
    });
    expectProblem(response, 400, "invalid_json");
    expect(await counts()).toEqual(before);
  });

  it("answers an empty JSON body and a missing body with 400", async () => {
    expectProblem(
      await server.request("POST", "/api/v1/contacts", {
        token: rita,
        raw: "",
        headers: { "content-type": "application/json" },
      }),
      400,
      "invalid_json",
    );
    expectProblem(await server.request("POST", "/api/v1/contacts", { token: rita }), 400, "invalid_request");
  });

  it("answers a body that is not JSON with 415", async () => {
    const response = await server.request("POST", "/api/v1/contacts", {
      token: rita,
      raw: "displayName=Anna",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectProblem(response, 415, "unsupported_media_type");
  });

  it("names each wrong field: wrong types, unknown fields, invalid addresses", async () => {
    const before = await counts();
    const wrongType = await server.request<Problem>("POST", "/api/v1/contacts", {
      token: rita,
      body: { displayName: 42, emails: "anna@x.example" },
    });
    expectProblem(wrongType, 400, "invalid_request");
    expect(wrongType.body.errors?.map((e) => e.path).sort()).toEqual(["body.displayName", "body.emails"]);

    const unknown = await server.request<Problem>("POST", "/api/v1/contacts", {
      token: rita,
      body: { displayName: "Anna", titel: "CEO" },
    });
    expectProblem(unknown, 400, "invalid_request");
    expect(unknown.body.detail).toContain("titel");

    const badAddress = await server.request<Problem>("POST", "/api/v1/contacts", {
      token: rita,
      body: { displayName: "Anna", emails: ["ok@x.example", "anna@@x"] },
    });
    expectProblem(badAddress, 400, "invalid_request");
    expect(badAddress.body.errors?.[0]?.path).toBe("body.emails.1");
    expect(await counts()).toEqual(before);
  });

  it("refuses a body over 1 MB with 413 and stores nothing", async () => {
    const before = await counts();
    const response = await server.request("POST", "/api/v1/emails", {
      token: rita,
      body: {
        internetMessageId: "<big@x.example>",
        from: { address: "a@x.example" },
        sentAt: "2026-11-20T10:00:00Z",
        bodyText: "x".repeat(1_100_000),
      },
    });
    expectProblem(response, 413, "payload_too_large");
    expect(await counts()).toEqual(before);
  });

  it("answers unknown ids, malformed ids and unknown routes with 404", async () => {
    expectProblem(
      await server.request("GET", "/api/v1/contacts/00000000-0000-4000-8000-000000000000", { token: rita }),
      404,
      "not_found",
    );
    expectProblem(
      await server.request("GET", "/api/v1/contacts/not-a-uuid", { token: rita }),
      404,
      "not_found",
    );
    expectProblem(await server.request("DELETE", "/api/v1/deals/123", { token: rita }), 404, "not_found");
    expectProblem(await server.request("GET", "/api/v1/nothing-here", { token: rita }), 404, "not_found");
  });

  it("refuses references to records that do not exist, leaving the store untouched", async () => {
    const before = await counts();
    const ghost = "00000000-0000-4000-8000-00000000abcd";
    expectProblem(
      await server.request("POST", "/api/v1/contacts", {
        token: rita,
        body: { displayName: "A", emails: ["a@ghost.example"], companyId: ghost },
      }),
      404,
      "not_found",
    );
    expectProblem(
      await server.request("POST", "/api/v1/deals", {
        token: rita,
        body: { name: "D", contactIds: [ghost] },
      }),
      404,
      "not_found",
    );
    expectProblem(
      await server.request("POST", "/api/v1/tasks", {
        token: rita,
        body: { title: "T", dueAt: null, dealId: ghost },
      }),
      404,
      "not_found",
    );
    expect(await counts()).toEqual(before);
  });

  it("refuses out-of-range values: negative amounts, bad currencies, bad dates, huge limits", async () => {
    expectProblem(
      await server.request("POST", "/api/v1/deals", { token: rita, body: { name: "D", amount: -5 } }),
      400,
      "invalid_request",
    );
    expectProblem(
      await server.request("POST", "/api/v1/deals", { token: rita, body: { name: "D", currency: "EURO" } }),
      400,
      "invalid_request",
    );
    expectProblem(
      await server.request("POST", "/api/v1/deals", {
        token: rita,
        body: { name: "D", expectedCloseDate: "2026-02-30" },
      }),
      400,
      "invalid_request",
    );
    expectProblem(
      await server.request("POST", "/api/v1/tasks", { token: rita, body: { title: "T", dueAt: "tomorrow" } }),
      400,
      "invalid_request",
    );
    expectProblem(
      await server.request("GET", "/api/v1/contacts?limit=100000", { token: rita }),
      400,
      "invalid_request",
    );
    expectProblem(
      await server.request("GET", "/api/v1/contacts?limit=-1", { token: rita }),
      400,
      "invalid_request",
    );
    expectProblem(
      await server.request("PATCH", "/api/v1/tasks/00000000-0000-4000-8000-000000000000", {
        token: rita,
        body: { version: "two" },
      }),
      400,
      "invalid_request",
    );
  });

  it("refuses dates it could not write back, message ids that are not RFC 5322, and a null update", async () => {
    const before = await counts();
    const farFuture = await server.request("POST", "/api/v1/tasks", {
      token: rita,
      body: { title: "T", dueAt: "9999-12-31T23:59:59-05:00" },
    });
    expectProblem(farFuture, 400, "invalid_request");
    const email = { from: { address: "a@x.example" }, sentAt: "2026-11-20T10:00:00Z" };
    expectProblem(
      await server.request("POST", "/api/v1/emails", {
        token: rita,
        body: { ...email, internetMessageId: `<${"字".repeat(990)}@x>` },
      }),
      400,
      "invalid_request",
    );
    expectProblem(
      await server.request("POST", "/api/v1/emails", {
        token: rita,
        body: { ...email, internetMessageId: "<with space@x.example>" },
      }),
      400,
      "invalid_request",
    );
    expect(await counts()).toEqual(before);

    const task = await server.request<{ id: string; version: number }>("POST", "/api/v1/tasks", {
      token: rita,
      body: { title: "Keep", dueAt: null },
    });
    const nullBody = await server.request("PATCH", `/api/v1/tasks/${task.body.id}`, {
      token: rita,
      raw: "null",
      headers: { "content-type": "application/json", "if-match": "1" },
    });
    expectProblem(nullBody, 400, "invalid_request");
    const after = await server.request<{ version: number }>("GET", `/api/v1/tasks/${task.body.id}`, {
      token: rita,
    });
    expect(after.body.version).toBe(1);
  });

  it("refuses prototype-pollution keys and survives deeply nested JSON without a 5xx", async () => {
    const polluted = await server.request("POST", "/api/v1/contacts", {
      token: rita,
      raw: '{"displayName":"P","__proto__":{"admin":true}}',
      headers: { "content-type": "application/json" },
    });
    expect(polluted.status).toBe(400);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    const nested = "[".repeat(5000) + "]".repeat(5000);
    const deep = await server.request("POST", "/api/v1/contacts", {
      token: rita,
      raw: `{"displayName":"D","customFields":{"x":${nested}}}`,
      headers: { "content-type": "application/json" },
    });
    expect(deep.status).toBeLessThan(500);
  });

  it("stores unicode edge cases as sent: RTL marks, zero-width joiners, astral planes", async () => {
    const displayName = "\u202eAnna\u200d👩‍💼 𝔅erg 李";
    const response = await server.request<{ id: string; displayName: string }>("POST", "/api/v1/contacts", {
      token: rita,
      body: { displayName, emails: ["unicode@x.example"] },
    });
    expect(response.status).toBe(201);
    expect(response.body.displayName).toBe(displayName);
    const nul = await server.request("POST", "/api/v1/contacts", {
      token: rita,
      body: { displayName: "nul\u0000byte" },
    });
    expect(nul.status).toBeLessThan(500);
  });
});
