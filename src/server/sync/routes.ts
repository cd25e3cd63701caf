import type { FastifyInstance } from "fastify";
import { routes } from "../../shared/routes";
import type { SyncConfig } from "../config";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import {
  addBlocklistEntry,
  listBlocklist,
  listMailboxes,
  myMailbox,
  mySettings,
  removeBlocklistEntry,
  updateMailbox,
  updateMySettings,
} from "./service";

export function syncRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  sync: SyncConfig,
): void {
  addRoute(app, routes.listMailboxes, options, ({ caller }) => listMailboxes(scope(caller), sync));
  addRoute(app, routes.myMailbox, options, ({ caller }) => myMailbox(scope(caller), sync));
  addRoute(app, routes.updateMailbox, options, ({ caller, params, body }) =>
    updateMailbox(scope(caller), sync, params.userId, body),
  );
  addRoute(app, routes.mySettings, options, ({ caller }) =>
    mySettings(scope(caller).db, caller.orgId, caller.userId),
  );
  addRoute(app, routes.updateMySettings, options, ({ caller, body }) =>
    updateMySettings(scope(caller), body),
  );
  addRoute(app, routes.listBlocklist, options, ({ caller, query }) =>
    listBlocklist(scope(caller), query.scope),
  );
  addRoute(app, routes.addBlocklistEntry, options, async ({ caller, body, setStatus }) => {
    const { entry, created } = await addBlocklistEntry(scope(caller), body);
    setStatus(created ? 201 : 200);
    return entry;
  });
  addRoute(app, routes.removeBlocklistEntry, options, ({ caller, params }) =>
    removeBlocklistEntry(scope(caller), params.id),
  );
}
