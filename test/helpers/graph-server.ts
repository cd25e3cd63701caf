import { randomBytes, randomUUID } from "node:crypto";
import type http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, exportJWK, importX509, jwtVerify } from "jose";
import { generate } from "selfsigned";
import { GraphCalendar } from "./graph-calendar";

/**
 * A local server that speaks the parts of Microsoft Graph and Entra ID the mailbox sync uses: the client
 * credentials token endpoint (secret or certificate assertion) and the mail folder delta protocol (pages of
 * `odata.maxpagesize`, `@odata.nextLink`, `@odata.deltaLink`, removals, `$select`, `$filter` on
 * receivedDateTime), with faults on demand: 429/503 with Retry-After, 410 for expired delta tokens, and a pause
 * before a page so a test can kill the worker mid-sync.
 *
 * And what occasion mails write: drafts created in a mailbox (POST /users/{id}/messages, with single-value
 * extended properties), looked up by such a property (`$filter=singleValueExtendedProperties/Any(...)`), and
 * sent (POST /users/{id}/messages/{id}/send: the draft becomes the sent copy, its immutable id kept). Every
 * create and send is recorded as received; a pause after a write is recorded and before it is answered lets a
 * test kill the server that asked.
 *
 * And the calendar the meetings' capture reads (graph-calendar.ts): calendarView's delta over a window and events by
 * id, with occurrences of series, removals, time zones, pages and delta links.
 */

export interface TestAddress {
  address: string;
  name?: string;
}

export interface TestMessage {
  internetMessageId: string;
  subject?: string;
  bodyPreview?: string;
  from: TestAddress;
  to?: TestAddress[];
  cc?: TestAddress[];
  receivedDateTime: string;
  sentDateTime?: string;
  conversationId?: string;
  headers?: Record<string, string>;
  /** The Rapport key the add-in set as a custom property when the rep sent it. */
  rapportKey?: string;
}

interface Stored {
  id: string;
  message: TestMessage;
  isRead: boolean;
  createdSeq: number;
  changedSeq: number;
  /** A change that touched only the read state: Graph sends the id and isRead alone. */
  partialChange: boolean;
  removedSeq: number | null;
}

type Folder = "inbox" | "sentitems";

/** What a link remembers of the first request: whose folder, the window, and the fields asked for. */
interface Query {
  tenant: string;
  user: string;
  folder: Folder;
  since: string | null;
  select: string[] | null;
  expand: boolean;
}

interface Cursor extends Query {
  /** Changes after this sequence number (0: the initial listing). */
  fromSeq: number;
  toSeq: number;
  offset: number;
}

interface DeltaToken extends Query {
  seq: number;
  issued: number;
}

export interface Fault {
  status: 429 | 503 | 504 | 500 | 404;
  retryAfter?: number;
}

export interface DeltaRequest {
  tenant: string;
  user: string;
  folder: Folder;
  status: number;
  kind: "initial" | "next" | "delta";
  items: number;
  /**
   * Which access token it came with, numbered from 1 in the order they were issued: each server process gets its
   * own, so a test can tell two servers' requests apart.
   */
  grant: number;
}

/** A message an app wrote into a mailbox: a draft until sent. */
export interface WrittenMessage {
  id: string;
  tenant: string;
  user: string;
  subject: string;
  html: string;
  to: string[];
  properties: Record<string, string>;
  isDraft: boolean;
  /** How many times a send was asked for it (a second one is refused, as Graph refuses a sent item's send). */
  sends: number;
}

export interface WriteRequest {
  kind: "create" | "send";
  tenant: string;
  user: string;
  messageId: string;
  grant: number;
}

const CUSTOM_PROPERTIES = (addinId: string) =>
  `String {00020329-0000-0000-C000-000000000046} Name cecp-${addinId}`;

/** Graph answers a send with 202 and no body. */
const res202 = (send: (status: number, body: unknown) => void) => send(202, {});

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const decode = <T>(value: string): T => JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as T;

export class GraphTestServer {
  readonly clientId = randomUUID();
  readonly secret = randomBytes(24).toString("base64url");
  readonly requests: DeltaRequest[] = [];
  tokenRequests = 0;
  /** Faults to answer the next delta requests with, first first. */
  readonly faults: Fault[] = [];
  /**
   * Faults to answer the next draft creations with, first first. `afterWriting`: the draft is made and the answer
   * is still the fault, as a gateway timing out on a request the mailbox finished does.
   */
  readonly writeFaults: (Fault & { afterWriting?: boolean })[] = [];
  /** Awaited before a delta page is answered: a test holds a page here. */
  beforePage:
    ((request: { user: string; folder: Folder; kind: DeltaRequest["kind"] }) => Promise<void>) | null = null;
  /** Set to verify certificate assertions instead of the secret. */
  certificatePem: string | null = null;
  /** Drafts written through Graph (and sent), in order. */
  readonly written: WrittenMessage[] = [];
  /** Every create and send done, in order. */
  readonly writes: WriteRequest[] = [];
  /** Awaited after a create or send is done and recorded, before it is answered: a test holds the answer here. */
  afterWrite: ((request: WriteRequest) => Promise<void>) | null = null;
  /** The users' calendars: calendarView's delta and events by id (graph-calendar.ts). */
  readonly calendar = new GraphCalendar();

  private seq = 0;
  private readonly mailboxes = new Map<string, Stored[]>();
  /** Users that have a mailbox; Graph answers 404 for any other. */
  private readonly users = new Set<string>();
  private readonly tokens = new Map<string, { tenant: string; expires: number; serial: number }>();
  private expiredBefore = 0;
  private server: https.Server | null = null;
  url = "";
  /** The server's certificate: trust it (trustingFetch, or NODE_EXTRA_CA_CERTS in a child process). */
  ca = "";

  constructor(private readonly addinId: string) {}

  async start(): Promise<this> {
    const pems = await generate([{ name: "commonName", value: "localhost" }], { keySize: 2048 });
    this.ca = pems.cert;
    this.server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "testServerError", message: String(error) } }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `https://localhost:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private box(tenant: string, user: string, folder: Folder): Stored[] {
    const key = `${tenant.toLowerCase()}|${user.toLowerCase()}|${folder}`;
    let box = this.mailboxes.get(key);
    if (!box) {
      box = [];
      this.mailboxes.set(key, box);
    }
    return box;
  }

  /** Gives a user an (empty) mailbox. */
  addMailbox(tenant: string, user: string): void {
    this.users.add(`${tenant.toLowerCase()}|${user.toLowerCase()}`);
  }

  /** Delivers a message into a folder; returns its (immutable) Graph id. */
  add(tenant: string, user: string, folder: Folder, message: TestMessage): string {
    this.addMailbox(tenant, user);
    const seq = ++this.seq;
    const id = `AAMk${randomBytes(12).toString("base64url")}`;
    this.box(tenant, user, folder).push({
      id,
      message,
      isRead: false,
      createdSeq: seq,
      changedSeq: seq,
      partialChange: false,
      removedSeq: null,
    });
    return id;
  }

  private find(tenant: string, user: string, folder: Folder, id: string): Stored {
    const stored = this.box(tenant, user, folder).find((m) => m.id === id);
    if (!stored) throw new Error(`no message ${id}`);
    return stored;
  }

  /** Changes a message's content (a full entry in the next delta). */
  change(tenant: string, user: string, folder: Folder, id: string, patch: Partial<TestMessage>): void {
    const stored = this.find(tenant, user, folder, id);
    stored.message = { ...stored.message, ...patch };
    stored.changedSeq = ++this.seq;
    stored.partialChange = false;
  }

  /** Marks a message read: the next delta carries only its id and isRead, as Graph's does. */
  markRead(tenant: string, user: string, folder: Folder, id: string): void {
    const stored = this.find(tenant, user, folder, id);
    stored.isRead = true;
    stored.changedSeq = ++this.seq;
    stored.partialChange = true;
  }

  remove(tenant: string, user: string, folder: Folder, id: string): void {
    const stored = this.find(tenant, user, folder, id);
    stored.removedSeq = ++this.seq;
    stored.changedSeq = stored.removedSeq;
  }

  /** Every delta token issued until now answers 410 from now on. */
  expireDeltaTokens(): void {
    this.expiredBefore = Date.now() + 1;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (token && req.method === "POST")
      return this.issueToken(decodeURIComponent(token[1] ?? ""), url, req, send);

    if (/^\/v1\.0\/users\/[^/]+\/(?:calendarView\/delta|events\/[^/]+)$/.test(url.pathname)) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const grant = bearer ? this.tokens.get(bearer) : undefined;
      if (!grant || grant.expires < Date.now())
        return send(401, {
          error: { code: "InvalidAuthenticationToken", message: "Access token is empty or invalid." },
        });
      const hasMailbox = (tenant: string, user: string) =>
        this.users.has(`${tenant.toLowerCase()}|${user.toLowerCase()}`);
      if (await this.calendar.handle(req, url, this.url, grant, hasMailbox, send)) return;
    }

    const messages = /^\/v1\.0\/users\/([^/]+)\/messages(?:\/([^/]+)\/(send))?$/.exec(url.pathname);
    if (messages) return this.handleMessages(req, url, send, messages);

    const delta = /^\/v1\.0\/users\/([^/]+)\/mailFolders\/(inbox|sentitems)\/messages\/delta$/.exec(
      url.pathname,
    );
    if (!delta || req.method !== "GET")
      return send(404, { error: { code: "ResourceNotFound", message: `no ${req.method} ${url.pathname}` } });

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const grant = bearer ? this.tokens.get(bearer) : undefined;
    if (!grant || grant.expires < Date.now())
      return send(401, {
        error: { code: "InvalidAuthenticationToken", message: "Access token is empty or invalid." },
      });

    const user = decodeURIComponent(delta[1] ?? "");
    const folder = delta[2] as Folder;
    const record = (status: number, kind: DeltaRequest["kind"], items = 0) =>
      this.requests.push({ tenant: grant.tenant, user, folder, status, kind, items, grant: grant.serial });
    const kind: DeltaRequest["kind"] = url.searchParams.has("$skiptoken")
      ? "next"
      : url.searchParams.has("$deltatoken")
        ? "delta"
        : "initial";

    if (!this.users.has(`${grant.tenant.toLowerCase()}|${user.toLowerCase()}`)) {
      record(404, kind);
      return send(404, {
        error: { code: "ErrorInvalidUser", message: `The requested user '${user}' is invalid.` },
      });
    }
    const fault = this.faults.shift();
    if (fault) {
      record(fault.status, kind);
      return send(
        fault.status,
        {
          error: {
            code: fault.status === 429 ? "TooManyRequests" : "ServiceUnavailable",
            message: "Try later.",
          },
        },
        fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {},
      );
    }
    if (this.beforePage) await this.beforePage({ user, folder, kind });

    const pageSize = Number(/odata\.maxpagesize=(\d+)/.exec(String(req.headers.prefer ?? ""))?.[1] ?? 10);
    let cursor: Cursor;
    if (kind === "next") {
      cursor = decode<Cursor>(url.searchParams.get("$skiptoken") ?? "");
    } else if (kind === "delta") {
      const state = decode<DeltaToken>(url.searchParams.get("$deltatoken") ?? "");
      if (state.issued < this.expiredBefore) {
        record(410, kind);
        return send(410, {
          error: { code: "SyncStateNotFound", message: "The sync state is not found or expired." },
        });
      }
      cursor = { ...state, fromSeq: state.seq, toSeq: this.seq, offset: 0 };
    } else {
      const since = /receivedDateTime ge (\S+)/.exec(url.searchParams.get("$filter") ?? "")?.[1] ?? null;
      const select = url.searchParams.get("$select")?.split(",") ?? null;
      const expand = (url.searchParams.get("$expand") ?? "").includes(CUSTOM_PROPERTIES(this.addinId));
      cursor = {
        tenant: grant.tenant,
        user,
        folder,
        since,
        select,
        expand,
        fromSeq: 0,
        toSeq: this.seq,
        offset: 0,
      };
    }
    if (cursor.tenant !== grant.tenant || cursor.user !== user || cursor.folder !== folder) {
      record(400, kind);
      return send(400, {
        error: { code: "InvalidRequest", message: "The link belongs to another mailbox." },
      });
    }

    const box = this.box(cursor.tenant, cursor.user, cursor.folder);
    const inWindow = (m: Stored) => cursor.since === null || m.message.receivedDateTime >= cursor.since;
    const entries =
      cursor.fromSeq === 0
        ? box
            .filter(
              (m) => m.createdSeq <= cursor.toSeq && (m.removedSeq === null || m.removedSeq > cursor.toSeq),
            )
            .filter(inWindow)
            .sort(
              (a, b) =>
                b.message.receivedDateTime.localeCompare(a.message.receivedDateTime) ||
                a.id.localeCompare(b.id),
            )
        : box
            .filter((m) => m.changedSeq > cursor.fromSeq && m.changedSeq <= cursor.toSeq)
            .filter((m) => m.createdSeq <= cursor.fromSeq || inWindow(m))
            .sort((a, b) => a.changedSeq - b.changedSeq);
    const page = entries.slice(cursor.offset, cursor.offset + pageSize);
    const value = page.map((m) => this.entry(m, cursor));
    const base = `${this.url}/v1.0/users/${encodeURIComponent(user)}/mailFolders/${folder}/messages/delta`;
    const more = cursor.offset + pageSize < entries.length;
    record(200, kind, value.length);
    send(200, {
      "@odata.context": `${this.url}/v1.0/$metadata#Collection(message)`,
      value,
      ...(more
        ? {
            "@odata.nextLink": `${base}?$skiptoken=${encode({ ...cursor, offset: cursor.offset + pageSize })}`,
          }
        : {
            "@odata.deltaLink": `${base}?$deltatoken=${encode({
              tenant: cursor.tenant,
              user: cursor.user,
              folder: cursor.folder,
              since: cursor.since,
              select: cursor.select,
              expand: cursor.expand,
              seq: cursor.toSeq,
              issued: Date.now(),
            } satisfies DeltaToken)}`,
          }),
    });
  }

  /** The drafts and sent messages written into a mailbox. */
  writtenTo(tenant: string, user: string): WrittenMessage[] {
    return this.written.filter(
      (m) => m.tenant.toLowerCase() === tenant.toLowerCase() && m.user.toLowerCase() === user.toLowerCase(),
    );
  }

  private async handleMessages(
    req: http.IncomingMessage,
    url: URL,
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
    match: RegExpExecArray,
  ): Promise<void> {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const grant = bearer ? this.tokens.get(bearer) : undefined;
    if (!grant || grant.expires < Date.now())
      return send(401, {
        error: { code: "InvalidAuthenticationToken", message: "Access token is empty or invalid." },
      });
    const user = decodeURIComponent(match[1] ?? "");
    if (!this.users.has(`${grant.tenant.toLowerCase()}|${user.toLowerCase()}`))
      return send(404, {
        error: { code: "ErrorInvalidUser", message: `The requested user '${user}' is invalid.` },
      });
    const mine = this.writtenTo(grant.tenant, user);
    const shape = (m: WrittenMessage) => ({
      "@odata.type": "#microsoft.graph.message",
      id: m.id,
      subject: m.subject,
      isDraft: m.isDraft,
      body: { contentType: "html", content: m.html },
      toRecipients: m.to.map((address) => ({ emailAddress: { address } })),
    });

    if (req.method === "GET" && !match[2]) {
      // Only the lookup occasion mails make: one extended property's id and value.
      const filter =
        /^singleValueExtendedProperties\/Any\(ep: ep\/id eq '([^']+)' and ep\/value eq '([^']+)'\)$/i.exec(
          url.searchParams.get("$filter") ?? "",
        );
      if (!filter)
        return send(400, {
          error: { code: "BadRequest", message: "Only the extended property filter is served." },
        });
      const [, id, value] = filter;
      return send(200, {
        value: mine.filter((m) => m.properties[id ?? ""] === value).map(shape),
      });
    }

    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");

    if (req.method === "POST" && !match[2]) {
      const body = JSON.parse(text) as {
        subject?: string;
        body?: { contentType?: string; content?: string };
        toRecipients?: { emailAddress?: { address?: string } }[];
        singleValueExtendedProperties?: { id: string; value: string }[];
      };
      const written: WrittenMessage = {
        id: `AAMk${randomBytes(12).toString("base64url")}`,
        tenant: grant.tenant,
        user,
        subject: body.subject ?? "",
        html: body.body?.content ?? "",
        to: (body.toRecipients ?? []).map((r) => r.emailAddress?.address ?? ""),
        properties: Object.fromEntries(
          (body.singleValueExtendedProperties ?? []).map((p) => [p.id, p.value]),
        ),
        isDraft: true,
        sends: 0,
      };
      const fault = this.writeFaults.shift();
      if (fault && !fault.afterWriting)
        return send(
          fault.status,
          { error: { code: "TooManyRequests", message: "Faulted by the test." } },
          {
            ...(fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {}),
          },
        );
      this.written.push(written);
      if (fault)
        return send(
          fault.status,
          { error: { code: "GatewayTimeout", message: "Faulted by the test." } },
          {
            ...(fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {}),
          },
        );
      const request: WriteRequest = {
        kind: "create",
        tenant: grant.tenant,
        user,
        messageId: written.id,
        grant: grant.serial,
      };
      this.writes.push(request);
      if (this.afterWrite) await this.afterWrite(request);
      return send(201, shape(written));
    }

    if (req.method === "POST" && match[3] === "send") {
      const message = mine.find((m) => m.id === decodeURIComponent(match[2] ?? ""));
      if (!message)
        return send(404, { error: { code: "ErrorItemNotFound", message: "The item was not found." } });
      message.sends += 1;
      if (!message.isDraft)
        return send(400, {
          error: { code: "ErrorInvalidRequest", message: "The message was already sent." },
        });
      message.isDraft = false;
      const request: WriteRequest = {
        kind: "send",
        tenant: grant.tenant,
        user,
        messageId: message.id,
        grant: grant.serial,
      };
      this.writes.push(request);
      if (this.afterWrite) await this.afterWrite(request);
      res202(send);
      return;
    }
    return send(405, { error: { code: "ErrorInvalidRequest", message: `no ${req.method} ${url.pathname}` } });
  }

  private entry(m: Stored, cursor: Cursor): Record<string, unknown> {
    if (m.removedSeq !== null && m.removedSeq <= cursor.toSeq && cursor.fromSeq > 0)
      return { "@odata.type": "#microsoft.graph.message", id: m.id, "@removed": { reason: "deleted" } };
    if (cursor.fromSeq > 0 && m.partialChange && m.createdSeq <= cursor.fromSeq)
      return { "@odata.type": "#microsoft.graph.message", id: m.id, isRead: m.isRead };
    const mail = (a: TestAddress) => ({ emailAddress: { address: a.address, name: a.name ?? a.address } });
    const full: Record<string, unknown> = {
      internetMessageId: m.message.internetMessageId,
      conversationId: m.message.conversationId ?? `conv-${m.id}`,
      subject: m.message.subject ?? "",
      bodyPreview: m.message.bodyPreview ?? "",
      from: mail(m.message.from),
      sender: mail(m.message.from),
      toRecipients: (m.message.to ?? []).map(mail),
      ccRecipients: (m.message.cc ?? []).map(mail),
      sentDateTime: m.message.sentDateTime ?? m.message.receivedDateTime,
      receivedDateTime: m.message.receivedDateTime,
      isDraft: false,
      isRead: m.isRead,
      internetMessageHeaders: Object.entries(m.message.headers ?? {}).map(([name, value]) => ({
        name,
        value,
      })),
    };
    const selected = cursor.select
      ? Object.fromEntries(Object.entries(full).filter(([k]) => cursor.select?.includes(k)))
      : full;
    const properties =
      cursor.expand && m.message.rapportKey
        ? {
            singleValueExtendedProperties: [
              {
                id: CUSTOM_PROPERTIES(this.addinId),
                value: JSON.stringify({ rapportKey: m.message.rapportKey }),
              },
            ],
          }
        : {};
    return {
      "@odata.type": "#microsoft.graph.message",
      "@odata.etag": `W/"${m.changedSeq}"`,
      id: m.id,
      ...selected,
      ...properties,
    };
  }

  private async issueToken(
    tenant: string,
    url: URL,
    req: http.IncomingMessage,
    send: (status: number, body: unknown) => void,
  ): Promise<void> {
    this.tokenRequests += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const fail = (description: string) =>
      send(401, { error: "invalid_client", error_description: `AADSTS7000215: ${description}` });
    if (form.get("grant_type") !== "client_credentials" || form.get("client_id") !== this.clientId)
      return fail("Invalid client.");
    if (form.get("scope") !== `${this.url}/.default`) return fail(`Invalid scope ${form.get("scope")}.`);
    if (this.certificatePem) {
      const assertion = form.get("client_assertion");
      if (
        form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" ||
        !assertion
      )
        return fail("A certificate assertion is required.");
      try {
        const key = await importX509(this.certificatePem, "RS256");
        const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(key)), alg: "RS256" }] });
        const { payload } = await jwtVerify(assertion, jwks, {
          audience: `${this.url}${url.pathname}`,
          issuer: this.clientId,
          subject: this.clientId,
        });
        if (!payload.jti) return fail("The assertion has no jti.");
      } catch (error) {
        return fail(`Invalid assertion: ${String(error)}`);
      }
    } else if (form.get("client_secret") !== this.secret) {
      return fail("Invalid client secret provided.");
    }
    const accessToken = randomBytes(32).toString("base64url");
    this.tokens.set(accessToken, { tenant, expires: Date.now() + 3600_000, serial: this.tokens.size + 1 });
    send(200, { token_type: "Bearer", expires_in: 3599, access_token: accessToken });
  }
}
