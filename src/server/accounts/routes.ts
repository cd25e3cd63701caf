import type { FastifyInstance, FastifyRequest } from "fastify";
import { routes } from "../../shared/routes";
import type { Caller } from "../auth/caller";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import {
  type AccountsContext,
  type Client,
  acceptInvitation,
  changePassword,
  createInvitation,
  createPasswordResetLink,
  listInvitations,
  requestPasswordReset,
  resetPassword,
  revokeInvitation,
  setUserActive,
  signIn,
} from "./service";
import { decoyHash } from "./passwords";
import { setUpFirstAdmin, setupStatus } from "./first-admin";
import {
  type RelyingParty,
  listPasskeys,
  passkeyRegistrationOptions,
  passkeySignInOptions,
  registerPasskey,
  removePasskey,
  signInWithPasskey,
} from "./passkeys";
import { endOwnSessions, listSessions, refreshSession } from "./sessions";
import { setSignInPolicy, signInPolicyOf } from "./sign-in-policy";

const clientOf = (request: FastifyRequest): Client => {
  const agent = request.headers["user-agent"];
  return { address: request.ip, userAgent: typeof agent === "string" ? agent : null };
};

/**
 * Rapport's own accounts. Links are made on `publicUrl` when the server knows its public address
 * (RAPPORT_PUBLIC_URL), otherwise on the origin the admin's request came to, which is the one they use.
 */
export function accountRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Caller) => Scope,
  context: AccountsContext,
  publicUrl: string | null,
): void {
  // The decoy hash an unknown address is checked against is made now, not at the first such sign-in (which would
  // otherwise take longer than any other, and say so).
  void decoyHash();
  const linkBase = (request: FastifyRequest) => publicUrl ?? `${request.protocol}://${request.host}`;

  addRoute(app, routes.signInWithPassword, options, ({ body, request }) =>
    signIn(context, body, clientOf(request)),
  );
  addRoute(app, routes.refreshSession, options, ({ body }) =>
    refreshSession(context.db, context.issuer, body.refreshToken),
  );
  addRoute(app, routes.signOut, options, ({ caller }) => endOwnSessions(scope(caller), "current"));
  addRoute(app, routes.signOutEverywhere, options, ({ caller }) => endOwnSessions(scope(caller), "all"));
  addRoute(app, routes.listSessions, options, ({ caller }) => listSessions(scope(caller)));
  addRoute(app, routes.endSession, options, ({ caller, params }) =>
    endOwnSessions(scope(caller), { id: params.id }),
  );
  addRoute(app, routes.changePassword, options, ({ caller, body, request }) =>
    changePassword(context, scope(caller), body, clientOf(request)),
  );
  addRoute(app, routes.requestPasswordReset, options, ({ body, request }) =>
    requestPasswordReset(context, body.email, clientOf(request)),
  );
  addRoute(app, routes.resetPassword, options, ({ body, request }) =>
    resetPassword(context, body, clientOf(request)),
  );
  addRoute(app, routes.acceptInvitation, options, ({ body, request }) =>
    acceptInvitation(context, body, clientOf(request)),
  );
  addRoute(app, routes.createInvitation, options, ({ caller, body, request }) =>
    createInvitation(context, scope(caller), body, linkBase(request)),
  );
  addRoute(app, routes.listInvitations, options, ({ caller }) => listInvitations(scope(caller)));
  addRoute(app, routes.revokeInvitation, options, ({ caller, params }) =>
    revokeInvitation(scope(caller), params.id),
  );
  addRoute(app, routes.createPasswordResetLink, options, ({ caller, params, request }) =>
    createPasswordResetLink(scope(caller), params.id, linkBase(request)),
  );
  // Passkeys belong to the origin people open the web app at: the public address, or the request's.
  const relyingParty = (request: FastifyRequest): RelyingParty => {
    const origin = linkBase(request);
    return { origin, id: new URL(origin).hostname, name: "Rapport" };
  };
  addRoute(app, routes.passkeyRegistrationOptions, options, ({ caller, request }) =>
    passkeyRegistrationOptions(context.db, scope(caller), relyingParty(request)),
  );
  addRoute(app, routes.registerPasskey, options, async ({ caller, body, request, setStatus }) => {
    setStatus(201);
    return registerPasskey(context, scope(caller), relyingParty(request), body, clientOf(request));
  });
  addRoute(app, routes.listPasskeys, options, ({ caller }) => listPasskeys(scope(caller)));
  addRoute(app, routes.removePasskey, options, ({ caller, params }) =>
    removePasskey(scope(caller), params.id),
  );
  addRoute(app, routes.passkeySignInOptions, options, ({ request }) =>
    passkeySignInOptions(context.db, relyingParty(request)),
  );
  addRoute(app, routes.signInWithPasskey, options, ({ body, request }) =>
    signInWithPasskey(context, relyingParty(request), body, clientOf(request)),
  );
  addRoute(app, routes.setupStatus, options, ({ request }) => setupStatus(context.db, request));
  addRoute(app, routes.setUp, options, ({ body, request }) =>
    setUpFirstAdmin(context, request, body, clientOf(request)),
  );
  addRoute(app, routes.deactivateUser, options, async ({ caller, params }) => {
    const user = await setUserActive(scope(caller), params.id, false);
    // A Microsoft 365 or local token this server remembers is refused from the next request on.
    context.forgetUser(params.id);
    return user;
  });
  addRoute(app, routes.reactivateUser, options, ({ caller, params }) =>
    setUserActive(scope(caller), params.id, true),
  );
  addRoute(app, routes.getSignInPolicy, options, ({ caller }) =>
    signInPolicyOf(scope(caller).db, caller.orgId),
  );
  addRoute(app, routes.setSignInPolicy, options, ({ caller, body }) => setSignInPolicy(scope(caller), body));
}
