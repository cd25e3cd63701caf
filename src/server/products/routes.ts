import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { getDealLines, replaceDealLines } from "../deals/lines";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { importProducts } from "./import";
import { createProduct, getProduct, listProducts, updateProduct } from "./service";

export function productRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.listProducts, options, ({ caller, query }) => listProducts(scope(caller), query));
  addRoute(app, routes.createProduct, options, async ({ caller, body }) =>
    createProduct(scope(caller), body),
  );
  addRoute(app, routes.getProduct, options, ({ caller, params }) => getProduct(scope(caller), params.id));
  addRoute(app, routes.updateProduct, options, ({ caller, params, body, version }) =>
    updateProduct(scope(caller), params.id, version, body),
  );
  addRoute(app, routes.importProducts, options, ({ caller, body }) => importProducts(scope(caller), body));
  addRoute(app, routes.getDealLines, options, ({ caller, params }) => getDealLines(scope(caller), params.id));
  addRoute(app, routes.replaceDealLines, options, ({ caller, params, body, version }) =>
    replaceDealLines(scope(caller), params.id, version, body),
  );
}
