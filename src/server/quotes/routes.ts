import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import {
  createQuote,
  downloadQuote,
  getQuoteTemplate,
  listDealQuotes,
  setQuoteLogo,
  updateQuoteTemplate,
} from "./service";

export function quoteRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  clock: () => Date,
): void {
  addRoute(app, routes.getQuoteTemplate, options, ({ caller }) => getQuoteTemplate(scope(caller)));
  addRoute(app, routes.updateQuoteTemplate, options, ({ caller, body }) =>
    updateQuoteTemplate(scope(caller), body),
  );
  addRoute(app, routes.setQuoteLogo, options, ({ caller, body }) => setQuoteLogo(scope(caller), body));
  addRoute(app, routes.createQuote, options, ({ caller, params, body }) =>
    createQuote(scope(caller), params.id, body, clock()),
  );
  addRoute(app, routes.listDealQuotes, options, ({ caller, params }) =>
    listDealQuotes(scope(caller), params.id),
  );
  addRoute(app, routes.downloadQuote, options, ({ caller, params }) =>
    downloadQuote(scope(caller), params.id),
  );
}
