import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { type AppDeps, buildApp } from "../../src/server/app";
import { LookupResponse } from "../../src/shared/people";
import { type AccountIssuer, loadAccountIssuer } from "../../src/server/accounts/account-issuer";
import { type LocalIssuer, loadLocalIssuer } from "../../src/server/auth/local-issuer";
import { createTokenVerifier } from "../../src/server/auth/verify";
import type { Database, StoreKind } from "../../src/server/db/database";
import type { EntraConfig } from "../../src/server/config";
import { openTestStore } from "./stores";

export interface Response<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestServer {
  kind: StoreKind;
  baseUrl: string;
  app: FastifyInstance;
  database: Database;
  issuer: LocalIssuer;
  /** Rapport's own accounts' issuer (its key is in the store). */
  accounts: AccountIssuer;
  dataDir: string;
  /** A token for a user of an organisation (by default the email's domain). */
  token(email: string, org?: string): Promise<string>;
  request<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<Response<T>>;
  close(): Promise<void>;
}

/** The real server on a real port over a fresh store: tests go through HTTP like the add-in does. */
export async function startTestServer(
  kind: StoreKind,
  extra: Pick<
    AppDeps,
    | "addinFiles"
    | "sync"
    | "rateLimit"
    | "readiness"
    | "clock"
    | "webForms"
    | "accountThrottles"
    | "trustProxy"
    | "publicUrl"
    | "loggerInstance"
    | "mail"
    | "admins"
    | "webhooks"
    | "surveys"
    | "graphNotifications"
    | "erasureSlice"
  > & { entra?: EntraConfig } = {},
  store: {
    poolSize?: number;
    /** Where it listens; by default loopback only. All interfaces lets a test come from another address. */
    host?: string;
  } = {},
): Promise<TestServer> {
  const { entra, ...deps } = extra;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "rapport-test-"));
  const database = await openTestStore(kind, store);
  const issuer = await loadLocalIssuer(dataDir);
  const accounts = await loadAccountIssuer(database.db);
  const verifyToken = createTokenVerifier({
    local: issuer,
    entra: entra ?? null,
    scope: "access_as_user",
    accounts,
  });
  // RAPPORT_TEST_LOG=debug shows the server log of a failing suite.
  const app = await buildApp({
    database,
    verifyToken,
    checkResponses: true,
    accounts,
    ...deps,
    ...(deps.loggerInstance
      ? {}
      : { logger: process.env.RAPPORT_TEST_LOG ? { level: process.env.RAPPORT_TEST_LOG } : false }),
  });
  const port = (await app.listen({ port: 0, host: store.host ?? "127.0.0.1" })).split(":").pop();
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    kind,
    baseUrl,
    app,
    database,
    issuer,
    accounts,
    dataDir,
    token: (email, org) => issuer.sign({ email, org: org ?? email.split("@")[1] ?? "example.com" }),
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers["content-type"] ??= "application/json";
      }
      const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // keep the text
      }
      return { status: response.status, body: parsed as never, headers: response.headers };
    },
    async close() {
      await app.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Parses a response body with the shared contract schema, as the add-in's client will. */
export function parse<T extends z.ZodType>(schema: T, response: Response): z.output<T> {
  return schema.parse(response.body);
}

/** GET /people/lookup for these addresses, answered 200 and read with the contract. */
export async function lookupPeople(server: TestServer, token: string, emails: string[]) {
  const query = emails.map((e) => `email=${encodeURIComponent(e)}`).join("&");
  const response = await server.request("GET", `/api/v1/people/lookup?${query}`, { token });
  expect(response.status).toBe(200);
  return parse(LookupResponse, response).results;
}
