import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate } from "selfsigned";
import { TokenRequestError, clientCredentialTokens } from "../../src/server/sync/client-credentials";
import { ADDIN_ID, GraphFailure, createMailGraph } from "../../src/server/sync/mail-graph";
import { GraphTestServer } from "../helpers/graph-server";
import { trustingFetch } from "../helpers/trusting-fetch";

const TENANT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

describe("the app's own sign-in to Microsoft Graph (client credentials)", () => {
  let graph: GraphTestServer;
  let dir: string;
  const realFetch = globalThis.fetch;
  beforeAll(async () => {
    graph = await new GraphTestServer(ADDIN_ID).start();
    globalThis.fetch = trustingFetch(graph.ca, graph.url, realFetch);
    dir = mkdtempSync(path.join(os.tmpdir(), "rapport-cert-"));
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    graph.certificatePem = null;
    await graph.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (
    credential: { kind: "secret"; secret: string } | { kind: "certificate"; path: string },
  ) => ({
    clientId: graph.clientId,
    credential,
    tenantId: TENANT,
    authority: graph.url,
    graphUrl: graph.url,
  });

  it("signs in with the secret once per tenant and reuses the token until it nears its end", async () => {
    const tokens = clientCredentialTokens(config({ kind: "secret", secret: graph.secret }));
    const before = graph.tokenRequests;
    const [a, b] = await Promise.all([tokens(TENANT), tokens(TENANT)]);
    expect(a).toBe(b);
    expect(await tokens(TENANT)).toBe(a);
    expect(graph.tokenRequests - before).toBe(1);
    expect(await tokens("another-tenant")).not.toBe(a);
    expect(graph.tokenRequests - before).toBe(2);
  });

  it("says why a wrong secret cannot sign in, and the sync reports it instead of reading mail", async () => {
    const tokens = clientCredentialTokens(config({ kind: "secret", secret: "wrong" }));
    await expect(tokens(TENANT)).rejects.toThrow(TokenRequestError);
    await expect(tokens(TENANT)).rejects.toThrow(
      /HTTP 401, invalid_client\): AADSTS7000215: Invalid client secret/,
    );
    graph.addMailbox(TENANT, "rita@contoso.example");
    const mailGraph = createMailGraph({ graphUrl: graph.url, tokens });
    await expect(
      mailGraph.deltaPage(TENANT, "rita@contoso.example", "inbox", { since: new Date() }),
    ).rejects.toThrow(/Invalid client secret/);
  });

  it("signs in with a certificate: a signed assertion the token endpoint verifies with the certificate's key", async () => {
    const pems = await generate([{ name: "commonName", value: "rapport-sync" }], { keySize: 2048 });
    const file = path.join(dir, "sync.pem");
    writeFileSync(file, `${pems.private}\n${pems.cert}`);
    graph.certificatePem = pems.cert;
    const tokens = clientCredentialTokens(config({ kind: "certificate", path: file }));
    const token = await tokens(TENANT);
    expect(token.length).toBeGreaterThan(20);
    graph.addMailbox(TENANT, "rita@contoso.example");
    const page = await createMailGraph({ graphUrl: graph.url, tokens }).deltaPage(
      TENANT,
      "rita@contoso.example",
      "inbox",
      { since: new Date(Date.now() - 86_400_000) },
    );
    expect(page).toEqual({ items: [], nextLink: null, deltaLink: expect.stringContaining("$deltatoken=") });

    // Another key with the same name is refused: the endpoint checks the signature, not the claims alone.
    const other = await generate([{ name: "commonName", value: "rapport-sync" }], { keySize: 2048 });
    writeFileSync(file, `${other.private}\n${other.cert}`);
    await expect(clientCredentialTokens(config({ kind: "certificate", path: file }))(TENANT)).rejects.toThrow(
      /Invalid assertion/,
    );
    graph.certificatePem = null;
  });

  it("never follows a stored link off Graph's host with the app's token", async () => {
    const tokens = clientCredentialTokens(config({ kind: "secret", secret: graph.secret }));
    const mailGraph = createMailGraph({ graphUrl: graph.url, tokens });
    const failure = await mailGraph
      .deltaPage(TENANT, "rita@contoso.example", "inbox", { link: "https://evil.example/v1.0/users/x/delta" })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GraphFailure);
    expect((failure as GraphFailure).status).toBe(410);
  });
});
