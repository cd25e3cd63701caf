import { z } from "zod";
import { Problem } from "../shared/errors";
import {
  FILE_MEDIA_TYPES,
  type FileFormat,
  PROGRESS_MEDIA_TYPE,
  type RouteContract,
  type RouteName,
  type Routes,
  routes,
} from "../shared/routes";

type InputOf<T> = T extends z.ZodType ? z.input<T> : never;
type Success<R extends RouteContract> = {
  [S in keyof R["responses"]]: R["responses"][S] extends z.ZodType ? z.output<R["responses"][S]> : never;
}[keyof R["responses"]];

export type CallInput<R extends RouteContract> = (R["params"] extends z.ZodType
  ? { params: InputOf<R["params"]> }
  : { params?: never }) &
  (R["query"] extends z.ZodType ? { query?: Partial<InputOf<R["query"]>> } : { query?: never }) &
  (R["body"] extends z.ZodType ? { body: InputOf<R["body"]> } : { body?: never });

const GATEWAY_DOWN = new Set([502, 503, 504]);

/** A failed call: the server's problem (with its stable code), or status 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(
      problem
        ? `${problem.code}: ${problem.detail}`
        : status === 0
          ? "The Rapport server cannot be reached."
          : `HTTP ${status}`,
    );
  }

  get code(): string {
    if (this.problem) return this.problem.code;
    // A gateway (the dev server's proxy, a load balancer) answering for a server that is down.
    return this.status === 0 || GATEWAY_DOWN.has(this.status) ? "unreachable" : "unexpected_response";
  }

  /** Worth trying again later (offline, server restarting); a 4xx will fail the same way every time. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** What a failure says to a person: the server's own words where it gave them. */
export function errorDetail(error: unknown): string {
  return error instanceof ApiError ? (error.problem?.detail ?? error.message) : String(error);
}

/**
 * The server's refusal of a request's fields, by field: `body.customFields.size` under `size` for the prefix
 * `body.customFields.`. Empty for any other failure.
 */
export function fieldErrorsOf(error: unknown, prefix: string): Record<string, string> {
  if (!(error instanceof ApiError) || error.status !== 400) return {};
  return Object.fromEntries(
    (error.problem?.errors ?? [])
      .filter((e) => e.path.startsWith(prefix))
      .map((e) => [e.path.slice(prefix.length), e.message]),
  );
}

export interface ApiClientOptions {
  /** Where the API is; "" for the page's own origin. */
  baseUrl: string;
  getToken(): Promise<string>;
  fetch?: typeof fetch;
}

export type ApiClient = <N extends RouteName>(
  name: N,
  input: CallInput<Routes[N]>,
) => Promise<Success<Routes[N]>>;

/** The URL and headers of a call, as every route of the contract is called. */
async function requestFor(
  options: ApiClientOptions,
  route: RouteContract,
  input: { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown },
  accept: string,
): Promise<{ url: string; init: RequestInit }> {
  const { params, query, body } = input;
  const path = route.path.replace(/:([A-Za-z]+)/g, (_, key: string) =>
    encodeURIComponent(params?.[key] ?? ""),
  );
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value])
      if (item !== undefined && item !== null) search.append(key, String(item));
  }
  const headers: Record<string, string> = { accept };
  if (!route.public) {
    try {
      headers.authorization = `Bearer ${await options.getToken()}`;
    } catch (error) {
      // Not signed in because the sign-in could not be reached is the same as the server not being reached:
      // worth trying again, never a reason to drop what the rep asked for.
      throw error instanceof ApiError ? error : new ApiError(0, null);
    }
  }
  if (body !== undefined) headers["content-type"] = "application/json";
  return {
    url: `${options.baseUrl}${path}${search.size ? `?${search}` : ""}`,
    init: { method: route.method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
  };
}

async function send(options: ApiClientOptions, url: string, init: RequestInit): Promise<Response> {
  const doFetch = options.fetch ?? fetch.bind(globalThis);
  let response: Response;
  try {
    response = await doFetch(url, init);
  } catch {
    throw new ApiError(0, null);
  }
  if (!response.ok) {
    const payload: unknown = await response.json().catch(() => undefined);
    const problem = Problem.safeParse(payload);
    throw new ApiError(response.status, problem.success ? problem.data : null);
  }
  return response;
}

/** Calls a route of the shared contract and parses the answer with the contract's own schema. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  return async (name, input) => {
    const route: RouteContract = routes[name];
    const { url, init } = await requestFor(options, route, input as never, "application/json");
    const response = await send(options, url, init);
    const payload: unknown = await response.json().catch(() => undefined);
    const schema = (route.responses as Record<number, z.ZodType | undefined>)[response.status];
    const parsed = schema?.safeParse(payload);
    if (!parsed?.success) throw new ApiError(response.status, null);
    return parsed.data as never;
  };
}

/** The routes that answer a file (a report as CSV or as an Excel workbook). */
export type FileRouteName = {
  [N in RouteName]: Routes[N] extends { file: FileFormat } ? N : never;
}[RouteName];

export interface DownloadedFile {
  blob: Blob;
  /** The server's name for it (Content-Disposition), e.g. `pipeline-by-stage.xlsx`. */
  filename: string;
}

export type FileClient = <N extends FileRouteName>(
  name: N,
  input: CallInput<Routes[N]>,
) => Promise<DownloadedFile>;

/** Downloads a file route of the contract with the same sign-in, query and problems as the JSON calls. */
export function createFileClient(options: ApiClientOptions): FileClient {
  return async (name, input) => {
    const route: RouteContract = routes[name];
    const format = route.file ?? "csv";
    const { url, init } = await requestFor(options, route, input as never, FILE_MEDIA_TYPES[format]);
    const response = await send(options, url, init);
    const disposition = response.headers.get("content-disposition") ?? "";
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${name}.${format}`;
    return { blob: await response.blob(), filename };
  };
}

/** The routes that can report their progress as they go (an import). */
export type ProgressRouteName = {
  [N in RouteName]: Routes[N] extends { progress: true } ? N : never;
}[RouteName];

/** One step of a long-running call: what it is doing and how far it has come. */
export interface ProgressStep {
  phase: string;
  done: number;
  total: number;
}

export type ProgressClient = <N extends ProgressRouteName>(
  name: N,
  input: CallInput<Routes[N]>,
  onProgress: (step: ProgressStep) => void,
) => Promise<Success<Routes[N]>>;

const ProgressLine = z.union([
  z.object({ phase: z.string(), done: z.number(), total: z.number() }),
  z.object({ result: z.unknown() }),
  z.object({ error: Problem }),
]);

/**
 * Calls a long-running route asking for NDJSON progress: each `{ phase, done, total }` line goes to
 * `onProgress`, and the last line is the result (parsed with the route's own 200 schema) or the problem, thrown
 * as the same ApiError a JSON call would throw. The status line comes before the work, so a failure arrives
 * as the stream's last line, not as an HTTP status.
 */
export function createProgressClient(options: ApiClientOptions): ProgressClient {
  return async (name, input, onProgress) => {
    const route: RouteContract = routes[name];
    const { url, init } = await requestFor(options, route, input as never, PROGRESS_MEDIA_TYPE);
    const response = await send(options, url, init);
    const schema = (route.responses as Record<number, z.ZodType | undefined>)[200];
    if (!response.body || !schema) throw new ApiError(response.status, null);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      let chunk: ReadableStreamReadResult<string>;
      try {
        chunk = await reader.read();
      } catch {
        // The connection dropped mid-way: whether the work finished is unknown, as with any cut-off request.
        throw new ApiError(0, null);
      }
      buffer += chunk.value ?? "";
      const lines = buffer.split("\n");
      buffer = chunk.done ? "" : (lines.pop() ?? "");
      for (const text of lines) {
        if (!text.trim()) continue;
        const line = ProgressLine.safeParse(JSON.parse(text));
        if (!line.success) throw new ApiError(response.status, null);
        if ("phase" in line.data) onProgress(line.data);
        else if ("error" in line.data) throw new ApiError(line.data.error.status, line.data.error);
        else {
          const result = schema.safeParse(line.data.result);
          if (!result.success) throw new ApiError(response.status, null);
          return result.data as never;
        }
      }
      if (chunk.done) throw new ApiError(0, null);
    }
  };
}
