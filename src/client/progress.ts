import { z } from "zod";
import { Problem } from "../shared/errors";
import {
  PROGRESS_MEDIA_TYPE,
  type RouteContract,
  type RouteName,
  type Routes,
  routes,
} from "../shared/routes";
import { type ApiClientOptions, type CallInput, type Success, requestFor, send } from "./api-client";
import { ApiError } from "./problems";

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
