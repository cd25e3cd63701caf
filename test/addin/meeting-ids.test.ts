import type { IncomingMessage, ServerResponse } from "node:http";
import { type Server, createServer } from "node:https";
import { generate } from "selfsigned";
import { graphMeetingIds } from "../../src/addin/auth/meeting-ids";
import { trustingFetch } from "../helpers/trusting-fetch";

/** A local stand-in for Microsoft Graph's /me/events/{id}, over HTTPS as Graph is, answering $select as Graph does. */
function localGraph(events: Record<string, { iCalUId: string; subject: string }>) {
  const requests: { path: string; select: string | null; authorization: string | undefined }[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    requests.push({
      path: url.pathname,
      select: url.searchParams.get("$select"),
      authorization: request.headers.authorization,
    });
    const id = /^\/v1\.0\/me\/events\/([^/]+)$/.exec(url.pathname)?.[1];
    const event = id ? events[decodeURIComponent(id)] : undefined;
    if (request.headers.authorization !== "Bearer graph-token") {
      response
        .writeHead(401, { "content-type": "application/json" })
        .end('{"error":{"code":"InvalidAuthenticationToken"}}');
      return;
    }
    if (!event) {
      response
        .writeHead(404, { "content-type": "application/json" })
        .end('{"error":{"code":"ErrorItemNotFound"}}');
      return;
    }
    const selected = url.searchParams.get("$select") === "iCalUId" ? { iCalUId: event.iCalUId } : event;
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id, ...selected }));
  };
  return { handle, requests };
}

describe("the open meeting's iCalUId through the Microsoft Graph client library (local Graph)", () => {
  const { handle, requests } = localGraph({
    "AAMkAGI2T/Review=": {
      iCalUId: "040000008200E00074C5B7101A82E008000000005E",
      subject: "Quarterly review",
    },
  });
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

  it("reads only the iCalUId of the event by its REST id, with the rep's Graph token", async () => {
    const ids = graphMeetingIds({ getToken: async () => "graph-token", baseUrl });
    expect(await ids.iCalUIdOf("AAMkAGI2T/Review=")).toBe("040000008200E00074C5B7101A82E008000000005E");
    // The id's slash is encoded: it names one event, never another path.
    expect(requests.at(-1)).toEqual({
      path: "/v1.0/me/events/AAMkAGI2T%2FReview%3D",
      select: "iCalUId",
      authorization: "Bearer graph-token",
    });
  });

  it("fails on an event Graph does not have, and on a refused token, for the pane to log without it", async () => {
    await expect(
      graphMeetingIds({ getToken: async () => "graph-token", baseUrl }).iCalUIdOf("AAMkGone"),
    ).rejects.toThrow();
    await expect(
      graphMeetingIds({ getToken: async () => "stale-token", baseUrl }).iCalUIdOf("AAMkAGI2T/Review="),
    ).rejects.toThrow();
  });
});
