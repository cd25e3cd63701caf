import { z } from "zod";
import { Problem } from "../shared/errors";
import { type RouteContract, type RouteName, type Routes, routes } from "../shared/routes";
import { ApiError } from "./problems";

type InputOf<T> = T extends z.ZodType ? z.input<T> : never;
/** What a route answers when it succeeds: the output of any of its response schemas. */
export type Success<R extends RouteContract> = {
  [S in keyof R["responses"]]: R["responses"][S] extends z.ZodType ? z.output<R["responses"][S]> : never;
}[keyof R["responses"]];

export type CallInput<R extends RouteContract> = (R["params"] extends z.ZodType
  ? { params: InputOf<R["params"]> }
  : { params?: never }) &
  (R["query"] extends z.ZodType ? { query?: Partial<InputOf<R["query"]>> } : { query?: never }) &
  (R["body"] extends z.ZodType ? { body: InputOf<R["body"]> } : { body?: never });

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

/**
 * The URL and headers of a call, as every route of the contract is called. The file and progress clients call
 * the same way, so a download or an import signs in and fails exactly as a JSON call does.
 */
export async function requestFor(
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

/** Sends a call; a failure becomes the ApiError of the server's problem, or status 0 when it could not be reached. */
export async function send(options: ApiClientOptions, url: string, init: RequestInit): Promise<Response> {
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
    const wait = Number(response.headers.get("retry-after") ?? "");
    throw new ApiError(
      response.status,
      problem.success ? problem.data : null,
      Number.isInteger(wait) && wait > 0 ? wait : null,
    );
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
