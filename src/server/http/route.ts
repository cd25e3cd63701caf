import { PassThrough } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import {
  FILE_MEDIA_TYPES,
  type FileFormat,
  PROGRESS_MEDIA_TYPE,
  type RouteContract,
  type TableFormat,
} from "../../shared/routes";
import type { Caller } from "../auth/caller";
import { AppError } from "../errors";
import { type Table, type WrittenFile, writeTable } from "../export/table-file";
import { problemOf, toAppError } from "./problem";

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

/**
 * A document a file route writes whole: its name without the extension, and its text (vCards) or its bytes (a
 * quote's PDF).
 */
export type DocumentFile = { name: string; text: string } | { name: string; bytes: Uint8Array };

/** One step of a long-running route, sent as an NDJSON line to a client that asked for progress. */
export interface ProgressStep {
  phase: string;
  done: number;
  total: number;
}

/**
 * A JSON route's handler returns its body; a table file route's returns the table and a document route's the
 * document, which the route writes.
 */
type SuccessBody<R extends RouteContract> = R extends { file: TableFormat }
  ? Table
  : R extends { file: FileFormat }
    ? DocumentFile
    : {
        [S in keyof R["responses"]]: R["responses"][S] extends z.ZodType ? z.input<R["responses"][S]> : never;
      }[keyof R["responses"]];

export interface HandlerInput<R extends RouteContract> {
  params: Parsed<R["params"]>;
  query: Parsed<R["query"]>;
  body: Parsed<R["body"]>;
  caller: Caller;
  /** The version the client read (body `version` or `If-Match`), for routes marked `versioned`. */
  version: number;
  /** For routes with more than one success status (201 created, 200 already there). */
  setStatus(status: keyof R["responses"] & number): void;
  /** For routes marked `attachment`: the name the JSON answer is saved under. */
  attach(filename: string): void;
  /** Reports a step to a client that asked for progress (routes marked `progress`); otherwise does nothing. */
  progress(step: ProgressStep): void;
  request: FastifyRequest;
}

export type Handler<R extends RouteContract> = (input: HandlerInput<R>) => Promise<SuccessBody<R>>;

export interface RouteOptions {
  authenticate(request: FastifyRequest): Promise<Caller>;
  /** Parse every response with its contract schema: on in tests, so drift between server and contract fails. */
  checkResponses: boolean;
}

declare module "fastify" {
  interface FastifyRequest {
    caller?: Caller;
  }
}

/** Registers one route of the shared contract: authenticate, validate the inputs with its schemas, call, reply. */
export function addRoute<R extends RouteContract>(
  app: FastifyInstance,
  contract: R,
  options: RouteOptions,
  handler: Handler<R>,
): void {
  const successStatuses = Object.keys(contract.responses).map(Number);
  const defaultStatus = successStatuses.includes(200) ? 200 : (successStatuses[0] ?? 200);
  app.route({
    method: contract.method,
    url: contract.path,
    ...(contract.bodyLimit ? { bodyLimit: contract.bodyLimit } : {}),
    onRequest: contract.public
      ? undefined
      : async (request) => {
          request.caller = await options.authenticate(request);
        },
    handler: async (request, reply) => {
      const params = parseInput(contract.params, request.params, "path", 404);
      const query = parseInput(contract.query, request.query, "query", 400);
      const { rest: rawBody, version: bodyVersion } = contract.versioned
        ? splitVersion(request.body)
        : { rest: request.body, version: undefined };
      if (contract.body && rawBody === undefined)
        throw new AppError("invalid_request", 400, "A JSON body is required.");
      // Fastify reads text/plain by itself; a route that takes no body refuses one that is not JSON, as the others
      // do (a sign-out's stray body must not be taken as accepted).
      if (!contract.body && typeof request.body === "string" && !isJson(request.headers["content-type"]))
        throw new AppError("unsupported_media_type", 415, "Send no body, or a JSON one, to this route.");
      const body = parseInput(contract.body, rawBody, "body", 400);
      let status = defaultStatus;
      let attachment = null as string | null;
      const input = {
        params,
        query,
        body,
        caller: request.caller as Caller,
        version: contract.versioned ? readVersion(bodyVersion, request) : 0,
        setStatus: (s: number) => {
          status = s;
        },
        attach: (filename: string) => {
          attachment = filename;
        },
        progress: () => {},
        request,
      };
      if (contract.progress && wantsProgress(request)) {
        return streamProgress(reply, (progress) =>
          handler({ ...input, progress } as HandlerInput<R>).then((result) =>
            checkResponse(contract, options, request, status, result),
          ),
        );
      }
      const result = await handler(input as HandlerInput<R>);
      if (contract.file) {
        // The conditional SuccessBody cannot be narrowed inside this generic function; `file` says what it is.
        const file = await writeFile(contract.file, result as unknown as Table | DocumentFile);
        return reply
          .status(status)
          .header("content-type", FILE_MEDIA_TYPES[contract.file])
          .header("content-disposition", `attachment; filename="${file.filename}"`)
          .send(file.body);
      }
      if (contract.attachment && attachment !== null)
        reply.header("content-disposition", `attachment; filename="${attachment}"`);
      return reply.status(status).send(checkResponse(contract, options, request, status, result));
    },
  });
}

const isJson = (type: string | undefined) => /^application\/json\s*(;|$)/i.test(type ?? "");

function writeFile(format: FileFormat, content: Table | DocumentFile): Promise<WrittenFile> {
  if (format === "vcf" || format === "pdf") {
    const document = content as DocumentFile;
    const body = "bytes" in document ? Buffer.from(document.bytes) : Buffer.from(document.text, "utf8");
    return Promise.resolve({ filename: `${document.name}.${format}`, body });
  }
  return writeTable(format, content as Table);
}

function checkResponse(
  contract: RouteContract,
  options: RouteOptions,
  request: FastifyRequest,
  status: number,
  result: unknown,
): unknown {
  const schema = (contract.responses as Record<number, z.ZodType | undefined>)[status];
  if (options.checkResponses && schema) {
    const checked = schema.safeParse(result);
    if (!checked.success) {
      request.log.error(
        { issues: checked.error.issues },
        `response of ${contract.method} ${contract.path} breaks the contract`,
      );
      throw new Error(
        `response of ${contract.method} ${contract.path} breaks the contract: ${z.prettifyError(checked.error)}`,
      );
    }
  }
  return result;
}

function wantsProgress(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === "string" && accept.toLowerCase().includes(PROGRESS_MEDIA_TYPE);
}

/**
 * Answers 200 at once with NDJSON: the run's progress lines as they come, then `{ result }` or, since the status
 * is already sent, `{ error }` with the problem the route would have answered. Input errors found before the
 * run starts (a bad body, no token) still get their usual status.
 */
function streamProgress(
  reply: FastifyReply,
  run: (progress: (step: ProgressStep) => void) => Promise<unknown>,
): FastifyReply {
  const stream = new PassThrough();
  const line = (value: unknown) => `${JSON.stringify(value)}\n`;
  void reply
    .status(200)
    .header("content-type", `${PROGRESS_MEDIA_TYPE}; charset=utf-8`)
    .header("cache-control", "no-store")
    .send(stream);
  void run((step) => stream.write(line(step))).then(
    (result) => stream.end(line({ result })),
    (error: unknown) => {
      const known = toAppError(error);
      if (!known) reply.log.error({ err: error }, "unhandled error in a streamed answer");
      else if (known.status >= 500) reply.log.warn({ err: error }, known.detail);
      const problem =
        known ??
        new AppError("internal_error", 500, "Something went wrong on the server; it has been logged.");
      stream.end(line({ error: problemOf(problem) }));
    },
  );
  return reply;
}

function parseInput<T extends z.ZodType | undefined>(
  schema: T,
  value: unknown,
  where: string,
  status: number,
): Parsed<T> {
  if (!schema) return undefined as Parsed<T>;
  // Params and query default to none; a body never does (a JSON `null` is not an empty update).
  const result = schema.safeParse(where === "body" ? value : (value ?? {}));
  if (result.success) return result.data as Parsed<T>;
  if (status === 404)
    throw new AppError("not_found", 404, "No such record: the id in the path is not a Rapport id.");
  throw new AppError(
    "invalid_request",
    400,
    `The request ${where} is not valid: ${summarise(result.error)}`,
    {
      errors: result.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
        path: clip([where, ...issue.path.map(String)].join(".")),
        message: clip(issue.message),
      })),
    },
  );
}

/**
 * A refusal stays small whatever the body: 50,000 wrong values (or unknown keys, which zod lists in one message)
 * would otherwise come back as a problem several times the size of the request.
 */
const MAX_ISSUES = 50;
const MAX_ISSUE_TEXT = 300;
const clip = (text: string) => (text.length > MAX_ISSUE_TEXT ? `${text.slice(0, MAX_ISSUE_TEXT)}…` : text);

function summarise(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => clip(i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

/** The version travels in the body or in If-Match; it is taken out before the body meets its strict schema. */
function splitVersion(body: unknown): { rest: unknown; version: unknown } {
  if (body && typeof body === "object" && !Array.isArray(body) && "version" in body) {
    const { version, ...rest } = body as Record<string, unknown>;
    return { rest, version };
  }
  return { rest: body, version: undefined };
}

function readVersion(fromBody: unknown, request: FastifyRequest): number {
  const header = request.headers["if-match"];
  const fromHeader =
    typeof header === "string" ? header.replace(/^W\//, "").replace(/"/g, "").trim() : undefined;
  const candidate = fromBody ?? (fromHeader ? Number(fromHeader) : undefined);
  if (candidate === undefined) {
    throw new AppError(
      "version_required",
      428,
      "Send the version you read (body `version` or If-Match) so no one's change is overwritten.",
    );
  }
  const version = z.number().int().positive().safeParse(candidate);
  if (!version.success)
    throw new AppError("invalid_request", 400, "The version must be a positive whole number.");
  return version.data;
}
