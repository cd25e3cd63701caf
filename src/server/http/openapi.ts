import { z } from "zod";
import { Problem } from "../../shared/errors";
import { FILE_MEDIA_TYPES, PROGRESS_MEDIA_TYPE, type RouteContract, routes } from "../../shared/routes";

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: "input" | "output"): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "openapi-3.0",
  }) as JsonSchema;
  return rest;
};

function parametersOf(schema: z.ZodType | undefined, where: "path" | "query") {
  if (!schema) return [];
  const json = toSchema(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    schema: property,
    ...(where === "query" && (property.anyOf || property.type === "array")
      ? { explode: true, style: "form" }
      : {}),
  }));
}

/** The OpenAPI document, generated from the same route table and schemas the server validates with. */
export function buildOpenApi(): JsonSchema {
  const problem = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const [name, route] of Object.entries(routes) as [string, RouteContract][]) {
    const path = route.path.replace(/:([A-Za-z]+)/g, "{$1}");
    const responses: Record<string, JsonSchema> = {};
    for (const [status, schema] of Object.entries(route.responses) as [string, z.ZodType][]) {
      responses[status] = {
        description: status === "201" ? "Created" : "OK",
        content: { "application/json": { schema: toSchema(schema, "output") } },
      };
    }
    if (route.attachment && responses["200"])
      responses["200"] = {
        ...responses["200"],
        description: "OK: a JSON document to save (Content-Disposition: attachment)",
        headers: { "Content-Disposition": { schema: { type: "string" } } },
      };
    if (route.file) {
      const mediaType = FILE_MEDIA_TYPES[route.file].split(";")[0] as string;
      responses["200"] = {
        description:
          route.file === "vcf"
            ? "The records as vCards (an attachment)"
            : route.file === "pdf"
              ? "The document as a PDF (an attachment)"
              : `The rows as a ${route.file.toUpperCase()} file (an attachment), a header row first`,
        content: {
          [mediaType]: {
            schema:
              route.file === "xlsx" || route.file === "pdf"
                ? { type: "string", format: "binary" }
                : { type: "string" },
          },
        },
      };
    }
    if (route.progress && responses["200"]) {
      const json = responses["200"];
      responses["200"] = {
        description:
          "The result as JSON; or, asked with Accept: application/x-ndjson, one JSON object per line: " +
          "progress `{ phase, done, total }`, then `{ result }` or `{ error }` (a problem)",
        content: {
          ...(json.content as Record<string, unknown>),
          [PROGRESS_MEDIA_TYPE]: { schema: { type: "string" } },
        },
      };
    }
    responses["4XX"] = { description: "The request was refused; `code` says why", content: problem };
    if (!route.public) responses["401"] = { description: "No valid token", content: problem };
    if (route.versioned)
      responses["409"] = {
        description: "Stale version: `current` holds the record as it is now",
        content: problem,
      };
    const parameters = [
      ...parametersOf(route.params, "path"),
      ...parametersOf(route.query, "query"),
      ...(route.versioned
        ? [
            {
              name: "If-Match",
              in: "header",
              required: false,
              schema: { type: "string" },
              description: "The version read (or `version` in the body)",
            },
          ]
        : []),
    ];
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: name,
      summary: route.summary,
      ...(route.public ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: toSchema(route.body, "input") } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.0.3",
    info: {
      title: "Rapport API",
      version: "1",
      description: "Outlook-first CRM. Errors are application/problem+json with a stable `code`.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Problem: toSchema(Problem, "output") },
    },
    paths: {
      ...paths,
      "/api/v1/openapi.json": {
        get: {
          operationId: "openapi",
          summary: "This document",
          security: [],
          responses: { "200": { description: "OK" } },
        },
      },
    },
  };
}
