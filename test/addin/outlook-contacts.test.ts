import type { IncomingMessage, ServerResponse } from "node:http";
import { type Server, createServer } from "node:https";
import { generate } from "selfsigned";
import { graphOutlookContacts } from "../../src/addin/auth/outlook-contacts";
import { trustingFetch } from "../helpers/trusting-fetch";

/**
 * A local stand-in for Microsoft Graph's /me/contacts, over HTTPS as Graph is (the client sends tokens to https
 * hosts only): it answers the OData filter the way Graph would.
 */
function localGraph(contacts: Record<string, unknown>[]) {
  const requests: { url: string; authorization: string | undefined }[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    requests.push({ url: url.pathname + url.search, authorization: request.headers.authorization });
    if (url.pathname !== "/v1.0/me/contacts") {
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"NotFound"}}');
      return;
    }
    if (request.headers.authorization !== "Bearer graph-token") {
      response
        .writeHead(401, { "content-type": "application/json" })
        .end('{"error":{"code":"InvalidAuthenticationToken"}}');
      return;
    }
    const wanted = /address eq '((?:[^']|'')*)'/
      .exec(url.searchParams.get("$filter") ?? "")?.[1]
      ?.replace(/''/g, "'");
    const value = contacts.filter((c) =>
      (c.emailAddresses as { address: string }[]).some((a) => a.address.toLowerCase() === wanted),
    );
    response
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ value: value.slice(0, 1) }));
  };
  return { handle, requests };
}

describe("the rep's Outlook contacts through the Microsoft Graph client library (local Graph)", () => {
  const { handle, requests } = localGraph([
    {
      displayName: "Jonas Lind",
      jobTitle: "Head of Sales",
      companyName: "Northwind Traders",
      businessPhones: ["+47 912 34 567"],
      mobilePhone: "+47 400 00 000",
      emailAddresses: [{ address: "jonas.lind@northwind.example" }],
    },
    { displayName: "O'Brien", emailAddresses: [{ address: "o'brien@fabrikam.example" }] },
  ]);
  let baseUrl = "";
  let server: Server;
  const realFetch = globalThis.fetch;
  beforeAll(async () => {
    const pems = await generate([{ name: "commonName", value: "localhost" }], { keySize: 2048 });
    server = createServer({ key: pems.private, cert: pems.cert }, handle);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    baseUrl = `https://localhost:${typeof address === "object" && address ? address.port : 0}/`;
    globalThis.fetch = trustingFetch(pems.cert, baseUrl.replace(/\/$/, ""), realFetch);
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await new Promise((resolve) => server.close(resolve));
  });

  it("finds the rep's contact for an address, asking Graph with the token, a filter and only the fields needed", async () => {
    const contacts = graphOutlookContacts({ getToken: async () => "graph-token", baseUrl });
    expect(await contacts.find("Jonas.Lind@Northwind.example")).toEqual({
      displayName: "Jonas Lind",
      jobTitle: "Head of Sales",
      companyName: "Northwind Traders",
      phones: ["+47 912 34 567", "+47 400 00 000"],
    });
    const asked = new URL(requests.at(-1)?.url ?? "", "http://x");
    expect(asked.pathname).toBe("/v1.0/me/contacts");
    expect(asked.searchParams.get("$filter")).toBe(
      "emailAddresses/any(a:a/address eq 'jonas.lind@northwind.example')",
    );
    expect(asked.searchParams.get("$select")).toBe(
      "displayName,jobTitle,companyName,businessPhones,mobilePhone",
    );
    expect(asked.searchParams.get("$top")).toBe("1");
    expect(requests.at(-1)?.authorization).toBe("Bearer graph-token");
  });

  it("quotes an apostrophe in the address as OData wants, and answers null for an address not in the contacts", async () => {
    const contacts = graphOutlookContacts({ getToken: async () => "graph-token", baseUrl });
    expect((await contacts.find("o'brien@fabrikam.example"))?.displayName).toBe("O'Brien");
    expect(await contacts.find("nobody@fabrikam.example")).toBeNull();
  });

  it("fails when Graph refuses the token, so the form is filled from the email alone", async () => {
    const contacts = graphOutlookContacts({ getToken: async () => "expired", baseUrl });
    await expect(contacts.find("jonas.lind@northwind.example")).rejects.toMatchObject({ statusCode: 401 });
  });
});
