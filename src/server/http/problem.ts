import type { Duplex } from "node:stream";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Problem } from "../../shared/errors";
import { AppError } from "../errors";

/** Constraint names in the migrations → what the caller did wrong, in the API's words. */
const uniqueViolations: Record<string, () => AppError> = {
  contact_emails_address_unique: () =>
    new AppError(
      "email_address_taken",
      409,
      "One of the email addresses already belongs to another contact.",
    ),
  companies_domain_unique: () =>
    new AppError("company_domain_taken", 409, "Another company already has this domain."),
  products_code_unique: () =>
    new AppError("product_code_taken", 409, "Another product of the organisation already has this code."),
};

const referenceFields: Record<string, string> = {
  contacts_company_fk: "companyId",
  deals_company_fk: "companyId",
  contacts_owner_fk: "ownerId",
  companies_owner_fk: "ownerId",
  deals_owner_fk: "ownerId",
  tasks_assignee_fk: "assigneeId",
  tasks_contact_fk: "contactId",
  tasks_deal_fk: "dealId",
  interactions_deal_fk: "dealId",
  deal_contacts_contact_fk: "contactIds",
  deals_stage_fk: "stageId",
};

interface PgError {
  code: string;
  constraint?: string;
}

const isPgError = (e: unknown): e is PgError =>
  typeof e === "object" &&
  e !== null &&
  typeof (e as PgError).code === "string" &&
  /^[0-9A-Z]{5}$/.test((e as PgError).code);

const connectionErrors = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
]);

/** Every failure, whatever raised it, becomes one AppError: the single place where errors get their codes. */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  if (isPgError(error)) {
    if (error.code === "23505")
      return (
        uniqueViolations[error.constraint ?? ""]?.() ??
        new AppError("invalid_request", 409, "That would duplicate an existing record.")
      );
    if (error.code === "23503") {
      // A reference to a row that does not exist, or exists in another organisation: the same answer for both.
      const field = referenceFields[error.constraint ?? ""];
      return new AppError(
        "not_found",
        404,
        field ? `The record named by ${field} does not exist.` : "A referenced record does not exist.",
      );
    }
    if (error.code.startsWith("22"))
      return new AppError("invalid_request", 400, "A value is out of range or malformed.");
    // Two transactions that waited on each other (PostgreSQL aborted this one), or a statement that ran past the
    // statement timeout behind a long write (an import): nothing of the request stayed, and trying again works.
    if (["40P01", "40001", "57014"].includes(error.code))
      return new AppError(
        "store_busy",
        503,
        "The request met other changes being saved and was undone; nothing of it was stored. Try again.",
      );
    // Connections refused or cut (a restart, a shutdown, no slots, a database closed to connections): the
    // server itself says FATAL for each; none is the request's fault, and each passes by itself.
    if (
      error.code.startsWith("08") ||
      ["57P01", "57P02", "57P03", "53300"].includes(error.code) ||
      (error as { severity?: unknown }).severity === "FATAL"
    ) {
      return new AppError(
        "store_unavailable",
        503,
        "The database is not reachable right now; try again shortly.",
      );
    }
    return null;
  }
  if (
    (typeof code === "string" && connectionErrors.has(code)) ||
    // node-postgres says so in words only when a connection drops mid-query or the pool cannot get one.
    (error instanceof Error &&
      /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(
        error.message,
      ))
  ) {
    return new AppError(
      "store_unavailable",
      503,
      "The database is not reachable right now; try again shortly.",
    );
  }
  const fastifyError = error as Partial<FastifyError>;
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new AppError(
        "payload_too_large",
        413,
        "The request body is larger than this route takes (1 MB; 50 MB for an import).",
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new AppError("unsupported_media_type", 415, "Send the body as application/json.");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new AppError("invalid_json", 400, "The body is not valid JSON.");
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new AppError("invalid_json", 400, `The body is not valid JSON: ${error.message}`);
  }
  const status = fastifyError.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new AppError("invalid_request", status, fastifyError.message ?? "The request is not valid.");
  }
  return null;
}

export function problemOf(error: AppError): Problem {
  return {
    type: `https://rapport.dev/problems/${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    ...(error.extras.errors ? { errors: error.extras.errors } : {}),
    ...(error.extras.current !== undefined ? { current: error.extras.current } : {}),
    ...(error.extras.rowErrors ? { rowErrors: error.extras.rowErrors } : {}),
    ...(error.extras.reason ? { reason: error.extras.reason } : {}),
    ...(error.extras.mergedInto
      ? {
          mergedInto: {
            type: error.extras.mergedInto.type,
            id: error.extras.mergedInto.id,
            location: error.extras.mergedInto.location,
          },
        }
      : {}),
  };
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.status === 401) reply.header("www-authenticate", `Bearer error="invalid_token"`);
  if (error.extras.retryAfter !== undefined) reply.header("retry-after", String(error.extras.retryAfter));
  if (error.extras.mergedInto && error.status === 301)
    reply.header("location", error.extras.mergedInto.location);
  return reply.status(error.status).type("application/problem+json").send(problemOf(error));
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = toAppError(error);
  if (known) {
    if (known.status >= 500) request.log.warn({ err: error }, known.detail);
    return sendProblem(reply, known);
  }
  request.log.error({ err: error }, "unhandled error");
  return sendProblem(
    reply,
    new AppError("internal_error", 500, "Something went wrong on the server; it has been logged."),
  );
}

/**
 * What Fastify refuses before any route runs (a malformed path, a path parameter too long) is answered as every
 * other refusal is: a problem with a code.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const refusal =
    error.code === "FST_ERR_MAX_PARAM_LENGTH"
      ? new AppError("invalid_request", 414, "A part of the path is too long.")
      : new AppError("invalid_request", 400, "The path is not valid (malformed percent-encoding or UTF-8).");
  void sendProblem(reply, refusal);
}

/** And what Node's HTTP parser refuses (headers too large, malformed HTTP): the connection gets a problem too. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const refusal = tooLarge
    ? new AppError("payload_too_large", 431, "The request's headers are too large.")
    : new AppError("invalid_request", 400, "The request is not valid HTTP.");
  const body = JSON.stringify(problemOf(refusal));
  socket.end(
    `HTTP/1.1 ${refusal.status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
      `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}
