import type { FastifyInstance, FastifyRequest } from "fastify";
import { routes } from "../../shared/routes";
import { refusingMerged } from "../duplicates/merge";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { ratingsReport, ratingsReportTable } from "./report";
import { companyRatings, contactRatings, createRatingLink } from "./service";

/**
 * Survey links, profiles' scores and the report. A link is made on `publicUrl` when the server knows its public
 * address (RAPPORT_PUBLIC_URL), otherwise on the origin the rep's request came to, which the contact can reach
 * if the rep can.
 */
export function ratingRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  clock: () => Date,
  publicUrl: string | null,
): void {
  const linkBase = (request: FastifyRequest) => publicUrl ?? `${request.protocol}://${request.host}`;
  // A link asked for a merged-away contact: 409 naming the kept one (a link is a write; docs/api.md, "Merging").
  addRoute(app, routes.createRatingLink, options, ({ caller, params, body, request }) =>
    refusingMerged(scope(caller), "contact", params.id, () =>
      createRatingLink(scope(caller), params.id, body.kind, clock(), linkBase(request)),
    ),
  );
  addRoute(app, routes.contactRatings, options, ({ caller, params }) =>
    contactRatings(scope(caller), params.id),
  );
  addRoute(app, routes.companyRatings, options, ({ caller, params }) =>
    companyRatings(scope(caller), params.id),
  );
  addRoute(app, routes.reportRatings, options, ({ caller, query }) =>
    ratingsReport(scope(caller), query, clock()),
  );
  for (const contract of [routes.reportRatingsCsv, routes.reportRatingsXlsx])
    addRoute(app, contract, options, async ({ caller, query }) =>
      ratingsReportTable(await ratingsReport(scope(caller), query, clock())),
    );
}
