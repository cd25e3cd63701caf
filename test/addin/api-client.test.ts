import { ApiError } from "../../src/client/problems";
import { type ProgressStep, createProgressClient } from "../../src/client/progress";
import { createApiClient } from "../../src/client/api-client";
import { type TestServer, startTestServer } from "../helpers/server";

describe("the add-in's API client against the real server", () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer("pglite");
    token = await server.token("rita@contoso.example");
  });
  afterAll(() => server.close());

  const client = () => createApiClient({ baseUrl: server.baseUrl, getToken: async () => token });

  it("creates a contact, logs an email and looks the sender up, parsing every answer with the contract", async () => {
    const call = client();
    const anna = await call("createContact", {
      body: { displayName: "Anna Berg", emails: ["anna@fabrikam.example"] },
    });
    expect(anna.version).toBe(1);
    const logged = await call("logEmail", {
      body: {
        internetMessageId: "<c1@fabrikam.example>",
        from: { address: "anna@fabrikam.example" },
        sentAt: "2026-11-20T09:00:00Z",
      },
    });
    expect(logged.created).toBe(true);
    const again = await call("logEmail", {
      body: {
        internetMessageId: "<c1@fabrikam.example>",
        from: { address: "anna@fabrikam.example" },
        sentAt: "2026-11-20T09:00:00Z",
      },
    });
    expect(again).toMatchObject({ created: false, interaction: { id: logged.interaction.id } });
    const { results } = await call("lookupPeople", {
      query: { email: ["anna@fabrikam.example", "bo@fabrikam.example"] },
    });
    expect(results.map((r) => [r.email, r.contact?.id ?? null])).toEqual([
      ["anna@fabrikam.example", anna.id],
      ["bo@fabrikam.example", null],
    ]);
    const timeline = await call("contactTimeline", { params: { id: anna.id }, query: { limit: 5 } });
    expect(timeline.items[0]).toMatchObject({ type: "interaction" });
  });

  it("raises the server's problem with its code, and says when the version is stale", async () => {
    const call = client();
    const deal = await call("createDeal", { body: { name: "Renewal" } });
    const { pipelines } = await call("listPipelines", {});
    const stageId = pipelines[0]?.stages[1]?.id as string;
    await call("moveDealToStage", { params: { id: deal.id }, body: { stageId, version: deal.version } });
    const stale = await call("moveDealToStage", {
      params: { id: deal.id },
      body: { stageId, version: deal.version },
    }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ApiError);
    expect((stale as ApiError).code).toBe("version_conflict");
    expect((stale as ApiError).problem?.current).toMatchObject({ id: deal.id, version: 2 });
    expect((stale as ApiError).retryable).toBe(false);
  });

  it("imports a file reporting its progress as it goes, and raises a refused import as the server's problem", async () => {
    const progress = createProgressClient({ baseUrl: server.baseUrl, getToken: async () => token });
    const rows = Array.from({ length: 6000 }, (_, i) => `Lead ${i},lead${i}@progress.example`);
    const steps: ProgressStep[] = [];
    const result = await progress(
      "commitImport",
      {
        body: {
          format: "csv",
          entity: "contacts",
          content: ["Name,Email", ...rows].join("\n"),
          onDuplicate: "skip",
        },
      },
      (step) => steps.push(step),
    );
    expect(result).toMatchObject({ rows: 6000, created: 6000, updated: 0, skipped: 0 });
    expect(new Set(steps.map((s) => s.phase))).toEqual(new Set(["reading", "checking", "writing"]));
    const writing = steps.filter((s) => s.phase === "writing");
    expect(writing.length).toBeGreaterThan(1);
    expect(writing.at(-1)).toMatchObject({ done: 6000, total: 6000 });

    const refused = await progress(
      "commitImport",
      {
        body: {
          format: "csv",
          entity: "contacts",
          content: "Name,Email\nNo Address,not an address\n",
          onDuplicate: "skip",
        },
      },
      () => undefined,
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe("import_rows_invalid");
    expect((refused as ApiError).status).toBe(422);
  });

  it("reports an unreachable server as retryable, not as a failure of the request", async () => {
    const call = createApiClient({ baseUrl: "http://127.0.0.1:9", getToken: async () => token });
    const error = await call("me", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("unreachable");
    expect((error as ApiError).retryable).toBe(true);
  });
});
