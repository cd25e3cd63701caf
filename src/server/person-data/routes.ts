import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { refusingMerged } from "../duplicates/merge";
import { eraseContact } from "./erase";
import { exportPersonData, personDataFilename } from "./export";

export function personDataRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  erasureSlice: number,
): void {
  addRoute(app, routes.exportPersonData, options, async ({ caller, params, attach }) => {
    const document = await exportPersonData(scope(caller), params.id);
    attach(personDataFilename(params.id));
    return document;
  });
  // A merged-away id is not the kept contact's: 409 naming it, never an erasure of the kept one by another id.
  addRoute(app, routes.eraseContact, options, ({ caller, params }) =>
    refusingMerged(scope(caller), "contact", params.id, () =>
      eraseContact(scope(caller), params.id, erasureSlice),
    ),
  );
}
