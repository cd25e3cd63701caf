import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { getCurrencies, removeExchangeRate, setExchangeRate, updateBaseCurrency } from "./service";

/** The base currency and exchange rates: everyone reads them, admins change them. */
export function currencyRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  addRoute(app, routes.getCurrencies, options, ({ caller }) => getCurrencies(scope(caller)));
  addRoute(app, routes.updateBaseCurrency, options, ({ caller, body }) =>
    updateBaseCurrency(scope(caller), body),
  );
  addRoute(app, routes.setExchangeRate, options, async ({ caller, body, setStatus }) => {
    const { rate, created } = await setExchangeRate(scope(caller), body);
    setStatus(created ? 201 : 200);
    return rate;
  });
  addRoute(app, routes.removeExchangeRate, options, ({ caller, params }) =>
    removeExchangeRate(scope(caller), params.currency),
  );
}
