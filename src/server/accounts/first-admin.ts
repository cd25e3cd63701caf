import { randomUUID } from "node:crypto";
import { type Kysely, type Transaction, sql } from "kysely";
import type { FastifyRequest } from "fastify";
import type { FirstSetup, SessionTokens } from "../../shared/accounts";
import { seedDefaultPipeline } from "../auth/caller";
import type { DB } from "../db/tables";
import { AppError } from "../errors";
import { recordAccountEvent } from "./events";
import { hashPassword, passwordWeakness } from "./passwords";
import { type AccountsContext, type Client, inviteInto } from "./service";
import { openSession } from "./sessions";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface FirstAdmin {
  organization: { id: string; name: string; created: boolean };
  link: string;
  expiresAt: string;
}

/**
 * An organisation's first admin, from the server's own machine (`npm run admin`): the organisation named is found
 * (by its id, its tenant, the local issuer's name for it, or its name) or made, and an admin invitation is made
 * for the address. Whoever opens the link sets the password: nothing secret is typed on the command line.
 */
export async function createFirstAdmin(
  db: Kysely<DB>,
  input: { email: string; org: string; linkBase: string },
): Promise<FirstAdmin> {
  return db.transaction().execute(async (tx) => {
    const wanted = input.org.trim();
    const lowered = wanted.toLowerCase();
    let query = tx.selectFrom("organizations").select(["id", "name"]);
    query = UUID.test(wanted)
      ? query.where("id", "=", lowered)
      : query.where((eb) =>
          eb.or([
            eb("tenant_id", "=", wanted),
            eb("tenant_id", "=", `local:${lowered}`),
            eb(eb.fn("lower", ["name"]), "=", lowered),
          ]),
        );
    const found = await query.orderBy("created_at").limit(2).execute();
    if (found.length > 1)
      throw new Error(
        `More than one organisation answers to "${wanted}": name it by its id (${found.map((o) => o.id).join(", ")}).`,
      );
    let organization = found[0] ? { ...found[0], created: false } : null;
    if (!organization) {
      if (UUID.test(wanted)) throw new Error(`There is no organisation with the id ${wanted}.`);
      organization = { ...(await makeOrganization(tx, wanted)), created: true };
    }
    const { link, expiresAt } = await inviteInto(
      tx,
      organization.id,
      null,
      { email: input.email, role: "admin" },
      input.linkBase,
    );
    return { organization, link, expiresAt };
  });
}

/** An organisation of Rapport's own accounts, with the default pipeline every organisation starts with. */
async function makeOrganization(tx: Transaction<DB>, name: string): Promise<{ id: string; name: string }> {
  const made = await tx
    .insertInto("organizations")
    // It has no Entra tenant: a tenant id of its own that no token names.
    .values({ tenant_id: `rapport:${randomUUID()}`, name })
    .returning(["id", "name"])
    .executeTakeFirstOrThrow();
  await seedDefaultPipeline(tx, made.id);
  return made;
}

/** Headers a proxy adds: a request bearing one came through something, even if the socket is this machine's. */
const FORWARDING_HEADERS = [
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
];

/** A name only this machine answers to: `localhost` (and names under it, which browsers keep local), or loopback. */
function loopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    name === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) ||
    // ::ffff:127.x.y.z as the URL parser writes it.
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(name)
  );
}

/** The host name of a Host header (`name:port`, `[v6]:port`), or null if it is none. */
function hostnameOf(host: string | undefined): string | null {
  if (!host) return null;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}

/**
 * Whether a request comes from the server's own machine: its socket's address is loopback and no proxy forwarded
 * it. The socket, never `request.ip`, which a trusted proxy's header decides; and a reverse proxy on the same
 * machine (Caddy, nginx) connects from loopback too, so any forwarding header refuses. A page another site
 * serves is refused too, even in a browser on this machine: the address it was asked by (Host) and the page it
 * comes from (Origin, Sec-Fetch-Site) must be this machine's own names. Otherwise a site whose name a moment
 * later resolves to 127.0.0.1 (DNS rebinding) could set Rapport up with its own admin from a visitor's browser.
 */
export function fromThisMachine(request: FastifyRequest): boolean {
  const address = request.socket.remoteAddress ?? "";
  const loopback = address === "::1" || /^(::ffff:)?127\./.test(address);
  if (!loopback || FORWARDING_HEADERS.some((header) => request.headers[header] !== undefined)) return false;
  const host = hostnameOf(request.headers.host);
  if (host === null || !loopbackName(host)) return false;
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "same-site" && site !== "none") return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return loopbackName(new URL(origin).hostname);
  } catch {
    // `null` (a sandboxed frame, a redirect from elsewhere), or nonsense.
    return false;
  }
}

const notFromHere = () =>
  new AppError(
    "forbidden",
    403,
    "Rapport is set up from the server's own machine only: open the web app there, or run npm run admin.",
  );
const alreadySetUp = () =>
  new AppError(
    "invalid_request",
    409,
    "Rapport is set up already: sign in, or make an organisation's first admin with npm run admin.",
  );

/** A store where nobody has an account yet (nor signed in any other way): the first visit may set it up. */
async function nobodyYet(db: Kysely<DB>): Promise<boolean> {
  return !(await db.selectFrom("users").select("id").limit(1).executeTakeFirst());
}

export async function setupStatus(db: Kysely<DB>, request: FastifyRequest): Promise<{ open: boolean }> {
  // Another machine learns nothing about the store.
  return { open: fromThisMachine(request) && (await nobodyYet(db)) };
}

/**
 * The first visit to a fresh Rapport, from the server's own machine: the organisation named and its first admin
 * with the password chosen, signed in. Whoever sits at the server could run `npm run admin` as well; anyone
 * elsewhere is refused. Two set-ups at once make one admin: the second waits for the first's lock, then finds a user.
 */
export async function setUpFirstAdmin(
  context: AccountsContext,
  request: FastifyRequest,
  input: FirstSetup,
  client: Client,
): Promise<SessionTokens> {
  if (!fromThisMachine(request)) throw notFromHere();
  if (!(await nobodyYet(context.db))) throw alreadySetUp();
  const weakness = passwordWeakness(input.password, input.email);
  if (weakness) throw new AppError("weak_password", 400, weakness);
  // Hashed before the transaction: tens of milliseconds the embedded store's one connection need not wait.
  const passwordHash = await hashPassword(input.password);
  return context.db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('rapport.first_setup'))`.execute(tx);
    if (!(await nobodyYet(tx))) throw alreadySetUp();
    const organization = await makeOrganization(tx, input.organizationName);
    const user = await tx
      .insertInto("users")
      .values({
        org_id: organization.id,
        external_id: `account:${randomUUID()}`,
        email: input.email,
        display_name: input.displayName ?? null,
        role: "admin",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await tx
      .insertInto("accounts")
      .values({
        user_id: user.id,
        org_id: organization.id,
        email: input.email,
        password_hash: passwordHash,
        password_changed_at: sql`now()`,
      })
      .execute();
    await recordAccountEvent(
      tx,
      organization.id,
      user.id,
      "organization.set_up",
      { type: "organization", id: organization.id },
      { email: input.email, by: "first_visit", address: client.address },
    );
    const tokens = await openSession(
      tx,
      context.issuer,
      { orgId: organization.id, userId: user.id, email: input.email },
      client.userAgent,
    );
    await recordAccountEvent(
      tx,
      organization.id,
      user.id,
      "account.signed_in",
      { type: "user", id: user.id },
      { sessionId: tokens.sessionId, address: client.address, first: true },
    );
    return tokens;
  });
}
