import rateLimit from "@fastify/rate-limit";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type Language, languageOf } from "../../shared/languages";
import {
  FORM_CONTROL_NAMES,
  type FormSubmitted,
  PageLanguage,
  PublicFormParams,
} from "../../shared/web-forms";
import type { Database } from "../db/database";
import type { CustomFieldDefinitionRow, DB, WebFormRow } from "../db/tables";
import type { Kysely } from "kysely";
import { clientKey } from "../accounts/throttle";
import { AppError, notFound } from "../errors";
import { errorHandler, sendProblem } from "../http/problem";
import type { Scope } from "../scope";
import { requireAdmin } from "../users/service";
import { EMBED_SCRIPT } from "./embed-script";
import { formPageMessages } from "./messages";
import { type FormView, formMarkup, formPage, messagePage } from "./page";
import { loadForm } from "./service";
import { type CheckResult, checkSubmission, readFormBody, readJsonBody } from "./submission";
import { acceptSubmission } from "./submit";
import { countTokenUse } from "./submit";
import { MAX_TOKEN_USES, SCRIPT_TOKEN_SECONDS, checkToken, issueToken, reissueToken } from "./token";

// The public side of web forms, with no signed-in caller: the hosted page, the embed script, the token a pasted
// form's script fetches, and the post. The form is found by its public id over the store's owner view (like
// sign-in finds an organisation); everything after that runs behind the form's organisation's wall, as the
// mailbox sync writes for the mailbox's organisation.

/**
 * The most a form post may weigh: every field at its longest, written in 4-byte UTF-8 and percent-encoded (12
 * bytes a character), for a form of a few long text boxes and many short fields; it still caps what one request
 * can make the server read, and reading it is one pass.
 */
export const FORM_BODY_LIMIT = 256 * 1024;

export interface WebFormLimits {
  /** Posts per minute from one client address (behind trusted proxies, the client's, not the proxy's). */
  perIpPerMinute: number;
  /** Accepted-looking submissions per minute to one form, from everyone (spam dropped before is not counted). */
  perFormPerMinute: number;
  /** Accepted-looking submissions per hour for one address to one form, from one client. */
  perAddressPerHour: number;
  /** Form pages and script tokens per minute from one client address: each is a fresh token. */
  pagesPerIpPerMinute: number;
}

export const DEFAULT_WEB_FORM_LIMITS: WebFormLimits = {
  perIpPerMinute: 20,
  perFormPerMinute: 120,
  perAddressPerHour: 5,
  pagesPerIpPerMinute: 60,
};

/** The page's language: ?lang= when it names one of ours, else the first of the browser's we speak. */
export function pageLanguage(query: unknown, acceptLanguage: string | undefined): Language {
  const asked = PageLanguage.safeParse((query as { lang?: unknown } | undefined)?.lang);
  if (asked.success) return asked.data;
  const ranked = (acceptLanguage ?? "")
    .slice(0, 500)
    .split(",", 20)
    .map((entry, index) => {
      const [tag = "", ...params] = entry.split(";");
      const q = params.map((p) => /^\s*q=([01](?:\.\d{1,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { language: languageOf(tag), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((e): e is { language: Language; q: number; index: number } => e.language !== null && e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.language ?? "en";
}

/** Where Rapport is, as the browser reached it (the client's scheme and host when behind a trusted proxy). */
const ownOrigin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/**
 * Whether a browser's Origin is Rapport's own page: by host, which a browser never lets a page forge. The scheme is
 * not compared: behind a TLS proxy that is not trusted for X-Forwarded-Proto the server sees http where the browser
 * was on https, and the hosted page must still post to itself.
 */
function isOwnOrigin(origin: string, request: FastifyRequest): boolean {
  if (!URL.canParse(origin)) return false;
  return new URL(origin).host === request.host;
}

/** The page's policy: no script at all, posts only here (and on to the form's redirect), framed by its sites. */
function pagePolicy(form: WebFormRow): string {
  const redirect = form.after_submit.kind === "redirect" ? ` ${new URL(form.after_submit.url).origin}` : "";
  const ancestors = form.allowed_origins.length ? form.allowed_origins.join(" ") : "'none'";
  return (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; " +
    `form-action 'self'${redirect}; frame-ancestors ${ancestors}`
  );
}

function sendPage(reply: FastifyReply, form: WebFormRow | null, status: number, html: string): FastifyReply {
  return reply
    .status(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .header(
      "content-security-policy",
      form
        ? pagePolicy(form)
        : "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "strict-origin-when-cross-origin")
    .send(html);
}

/** CORS for a form's own sites, and nobody else's: a browser elsewhere neither reads the answer nor sends JSON. */
function allowOrigin(reply: FastifyReply, form: WebFormRow, origin: string | undefined): boolean {
  reply.header("vary", "Origin");
  if (!origin || !form.allowed_origins.includes(origin)) return false;
  reply.header("access-control-allow-origin", origin);
  return true;
}

/**
 * Finds forms by their public id. The first lookup of a form reads the owner's view (the visitor has no
 * organisation until the form says which); a form's organisation never changes, so later lookups read behind its
 * organisation's wall, as everything after them does, and a pooled connection is not moved between the two views
 * at every post. A form deleted since is looked up afresh (and not found).
 */
function formFinder(database: Database): (publicId: unknown) => Promise<WebFormRow | null> {
  const organizationOf = new Map<string, string>();
  const REMEMBERED = 10_000;
  return async (publicId) => {
    const params = PublicFormParams.safeParse({ publicId });
    if (!params.success) return null;
    const id = params.data.publicId;
    const orgId = organizationOf.get(id);
    if (orgId !== undefined) {
      const walled = await database
        .forOrganization(orgId)
        .selectFrom("web_forms")
        .selectAll()
        .where("org_id", "=", orgId)
        .where("public_id", "=", id)
        .executeTakeFirst();
      if (walled) return walled;
      organizationOf.delete(id);
    }
    const row = await database.db
      .selectFrom("web_forms")
      .selectAll()
      .where("public_id", "=", id)
      .executeTakeFirst();
    if (!row) return null;
    if (organizationOf.size >= REMEMBERED)
      organizationOf.delete(organizationOf.keys().next().value as string);
    organizationOf.set(id, row.org_id);
    return row;
  };
}

/** The definitions of the custom fields a form fills (none read for a form without any). */
async function definitionsOf(db: Kysely<DB>, form: WebFormRow): Promise<CustomFieldDefinitionRow[]> {
  const customKeys = form.fields.filter((f) => /^(contact|company)\.custom\./u.test(f.target));
  return customKeys.length
    ? await db
        .selectFrom("custom_field_definitions")
        .selectAll()
        .where("org_id", "=", form.org_id)
        .where("entity", "in", ["contact", "company"])
        .execute()
    : [];
}

async function viewOf(
  db: Kysely<DB>,
  form: WebFormRow,
  language: Language,
  known?: CustomFieldDefinitionRow[],
): Promise<FormView> {
  const definitions = known ?? (await definitionsOf(db, form));
  const consent =
    form.consent_version === null
      ? undefined
      : await db
          .selectFrom("web_form_consents")
          .select("text")
          .where("org_id", "=", form.org_id)
          .where("form_id", "=", form.id)
          .where("version", "=", form.consent_version)
          .executeTakeFirst();
  return {
    publicId: form.public_id,
    title: form.title,
    fields: form.fields,
    definitions,
    consentVersion: form.consent_version,
    consentText: consent?.text ?? null,
    language,
  };
}

/**
 * The page that led here, unless it is one of Rapport's own (the hosted form posting to itself): the site's page
 * that links to or frames the hosted form, as far as the browser's referrer policy tells (often its origin only).
 */
function outsideReferer(request: FastifyRequest): string | undefined {
  const referer = request.headers.referer;
  if (typeof referer !== "string" || !URL.canParse(referer)) return undefined;
  return new URL(referer).host === request.host ? undefined : referer.slice(0, 2000);
}

/**
 * The source a hosted page was opened with (its UTM parameters, and the page it was opened from), carried in
 * hidden fields into the post.
 */
function sourceOf(query: unknown, referer: string | undefined): Record<string, string> {
  const hidden: Record<string, string> = referer ? { [FORM_CONTROL_NAMES.pageUrl]: referer } : {};
  const q = (query ?? {}) as Record<string, unknown>;
  for (const name of FORM_CONTROL_NAMES.utm) {
    const value = q[name];
    if (typeof value === "string" && value.trim() !== "") hidden[name] = value.trim().slice(0, 200);
  }
  return hidden;
}

const keyOf = new WeakMap<FastifyRequest, string>();

/** The three ways a browser's own form posts its body (`enctype`): a person is reading the answer as a page. */
const FORM_ENCODINGS = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];
const postedAsForm = (request: FastifyRequest): boolean => {
  const type = (request.headers["content-type"] ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return FORM_ENCODINGS.includes(type);
};

/**
 * What Fastify refuses before a form's route runs (a body past the limit, a body in a form encoding not taken) is
 * answered to a browser's form post as a page in the visitor's language, as every other refusal of a form post
 * is; the script, which posts JSON, and everyone else get the problem.
 */
function formErrorHandler(findForm: (publicId: unknown) => Promise<WebFormRow | null>) {
  return async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const refusal =
      error.code === "FST_ERR_CTP_BODY_TOO_LARGE"
        ? { status: 413, word: "tooLarge" as const }
        : error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
          ? { status: 415, word: "unsupported" as const }
          : null;
    if (refusal === null) return errorHandler(error, request, reply);
    if (request.method !== "POST" || !postedAsForm(request))
      return sendProblem(
        reply,
        refusal.status === 413
          ? new AppError(
              "payload_too_large",
              413,
              `A form submission takes at most ${FORM_BODY_LIMIT / 1024} KB.`,
            )
          : new AppError(
              "unsupported_media_type",
              415,
              "Send a form submission as application/json or application/x-www-form-urlencoded.",
            ),
      );
    const language = pageLanguage(request.query, request.headers["accept-language"]);
    const form = await findForm((request.params as { publicId?: unknown } | undefined)?.publicId);
    const words = formPageMessages[language];
    return sendPage(
      reply,
      form,
      refusal.status,
      messagePage(language, form?.title ?? "", words[refusal.word]),
    );
  };
}

export async function publicFormRoutes(
  app: FastifyInstance,
  database: Database,
  clock: () => Date,
  limits: WebFormLimits,
): Promise<void> {
  if (!app.hasDecorator("createRateLimit")) await app.register(rateLimit, { global: false });
  const findForm = formFinder(database);
  const limiter = (prefix: string, max: number, windowMs: number) => {
    const check = app.createRateLimit({
      max,
      timeWindow: windowMs,
      keyGenerator: (request) => `${prefix}:${keyOf.get(request) ?? ""}`,
    });
    return async (request: FastifyRequest, key: string): Promise<number | null> => {
      keyOf.set(request, key);
      const limit = await check(request);
      return limit.isAllowed || !limit.isExceeded ? null : limit.ttlInSeconds;
    };
  };
  const perIp = limiter("form-ip", limits.perIpPerMinute, 60_000);
  const perForm = limiter("form", limits.perFormPerMinute, 60_000);
  const perAddress = limiter("form-address", limits.perAddressPerHour, 3_600_000);
  const pagesPerIp = limiter("form-page-ip", limits.pagesPerIpPerMinute, 60_000);

  await app.register(async (scope) => {
    scope.setErrorHandler(formErrorHandler(findForm));
    // Form posts as text, read by readFormBody (the API itself takes JSON only).
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: FORM_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );

    scope.get("/f/embed.js", async (_request, reply) =>
      reply
        .header("content-type", "text/javascript; charset=utf-8")
        .header("cache-control", "public, max-age=3600")
        .header("x-content-type-options", "nosniff")
        .send(EMBED_SCRIPT),
    );

    scope.get("/f/:publicId", async (request, reply) => {
      const language = pageLanguage(request.query, request.headers["accept-language"]);
      const form = await findForm((request.params as { publicId?: unknown }).publicId);
      const words = formPageMessages[language];
      if (!form) return sendPage(reply, null, 404, messagePage(language, "", words.notFound));
      const wait = await pagesPerIp(request, clientKey(request.ip));
      if (wait !== null)
        return sendPage(
          reply.header("retry-after", String(wait)),
          form,
          429,
          messagePage(language, form.title ?? "", words.tooMany),
        );
      const view = await viewOf(database.forOrganization(form.org_id), form, language);
      const token = issueToken(form.signing_key, form.public_id, clock(), form.consent_version);
      return sendPage(
        reply,
        form,
        200,
        formPage(view, {
          token,
          values: {},
          problems: [],
          notice: null,
          hidden: sourceOf(request.query, outsideReferer(request)),
        }),
      );
    });

    scope.get("/f/:publicId/token", async (request, reply) => {
      const form = await findForm((request.params as { publicId?: unknown }).publicId);
      if (!form) return sendProblem(reply, notFound("The form"));
      allowOrigin(reply, form, request.headers.origin);
      const wait = await pagesPerIp(request, clientKey(request.ip));
      if (wait !== null)
        return sendProblem(
          reply.header("retry-after", String(wait)),
          new AppError("rate_limited", 429, `Too many tokens; try again in ${wait} s.`),
        );
      return reply.header("cache-control", "no-store").send({
        token: issueToken(
          form.signing_key,
          form.public_id,
          clock(),
          form.consent_version,
          SCRIPT_TOKEN_SECONDS,
        ),
      });
    });

    const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
      const form = await findForm((request.params as { publicId?: unknown }).publicId);
      if (form && allowOrigin(reply, form, request.headers.origin))
        reply
          .header("access-control-allow-methods", "GET, POST")
          .header("access-control-allow-headers", "content-type, accept")
          .header("access-control-max-age", "600");
      return reply.status(204).send();
    };
    scope.options("/f/:publicId", preflight);
    scope.options("/f/:publicId/token", preflight);

    scope.post("/f/:publicId", { bodyLimit: FORM_BODY_LIMIT }, async (request, reply) => {
      const json = (request.headers["content-type"] ?? "").toLowerCase().startsWith("application/json");
      const language = pageLanguage(request.query, request.headers["accept-language"]);
      const words = formPageMessages[language];
      const refuse = (form: WebFormRow | null, error: AppError, html: string) =>
        json ? sendProblem(reply, error) : sendPage(reply, form, error.status, html);

      const form = await findForm((request.params as { publicId?: unknown }).publicId);
      if (!form) return refuse(null, notFound("The form"), messagePage(language, "", words.notFound));
      const title = form.title ?? "";
      const origin = request.headers.origin;
      const corsAllowed = allowOrigin(reply, form, origin);
      // A browser says where a post comes from: a page of Rapport's own, or of a site the form allows. Anything
      // else (another site's copy of the form, a page that hides where it is) is refused and creates nothing.
      if (origin !== undefined && !isOwnOrigin(origin, request) && !corsAllowed)
        return refuse(
          form,
          new AppError("forbidden", 403, "This form does not take submissions from that site."),
          messagePage(language, title, words.notAllowed),
        );

      const tooMany = async (seconds: number) => {
        reply.header("retry-after", String(seconds));
        return refuse(
          form,
          new AppError("rate_limited", 429, `Too many submissions; try again in ${seconds} s.`),
          messagePage(language, title, words.tooMany),
        );
      };
      const ipWait = await perIp(request, clientKey(request.ip));
      if (ipWait !== null) return tooMany(ipWait);

      const values = json
        ? readJsonBody(request.body)
        : typeof request.body === "string"
          ? readFormBody(request.body)
          : null;
      if (values === null)
        return refuse(
          form,
          new AppError("invalid_request", 400, "The body is not a form submission."),
          messagePage(language, title, words.invalid),
        );

      // What every accepted submission is answered, and every dropped one too: nothing tells them apart.
      const received = (): FastifyReply => {
        const after = form.after_submit;
        if (json) {
          const answer: FormSubmitted = {
            status: "received",
            message: after.kind === "message" ? after.message : null,
            redirectUrl: after.kind === "redirect" ? after.url : null,
          };
          return reply.status(200).header("cache-control", "no-store").send(answer);
        }
        if (after.kind === "redirect") return reply.status(303).header("location", after.url).send();
        return sendPage(reply, form, 200, messagePage(language, title, after.message));
      };

      if ((values.get(FORM_CONTROL_NAMES.honeypot) ?? "") !== "") return received();
      const now = clock();
      const checkedToken = checkToken(
        form.signing_key,
        form.public_id,
        values.get(FORM_CONTROL_NAMES.token),
        now,
      );
      if (checkedToken.kind === "forged") return received();
      // A token sent more often than a person retries is used up: treated as an old page (sent again with a new
      // one), so one page's token cannot be replayed into any number of leads.
      const db = database.forOrganization(form.org_id);
      const token =
        checkedToken.kind === "ok" && (await countTokenUse(db, form, checkedToken, now)) > MAX_TOKEN_USES
          ? { kind: "expired" as const, consentVersion: checkedToken.consentVersion }
          : checkedToken;

      const definitions = await definitionsOf(db, form);
      // The page's words (the consent text) are read only when the form is given back: not for an accepted one.
      let view: FormView | undefined;
      const pageView = async () => (view ??= await viewOf(db, form, language, definitions));
      const referer = outsideReferer(request);
      const checked: CheckResult = checkSubmission(
        form.fields,
        definitions,
        form.consent_version !== null,
        values,
        referer,
      );
      // The consent version whose text the visitor was shown: what their form says it carries (a pasted form's
      // hidden field) and what its token was signed for. Only the form's current version, on both counts, is
      // consent to the text Rapport would record; a box ticked beside any other text is never carried over.
      const stated = values.get(FORM_CONTROL_NAMES.consentVersion);
      const current = String(form.consent_version ?? 0);
      const seen = [
        ...(stated === undefined ? [] : [stated]),
        ...(token.kind === "missing" ? [] : [String(token.consentVersion ?? 0)]),
      ];
      const sawCurrent = seen.length > 0 && seen.every((version) => version === current);
      const keptValues = (submitted: Record<string, string>, keepConsent: boolean) => ({
        ...submitted,
        ...(keepConsent && values.get(FORM_CONTROL_NAMES.consent)
          ? { [FORM_CONTROL_NAMES.consent]: "yes" }
          : {}),
      });
      const carried = Object.fromEntries(
        [FORM_CONTROL_NAMES.pageUrl, ...FORM_CONTROL_NAMES.utm].flatMap((name) => {
          const value = values.get(name) ?? (name === FORM_CONTROL_NAMES.pageUrl ? referer : undefined);
          return value ? [[name, value.slice(0, 2000)]] : [];
        }),
      );

      // A pasted form without its script, a page left open for days, a token used up or sent too soon: the form comes back
      // filled in, with a fresh token, and the visitor sends it once more. A bot posting blind gets the same page
      // and makes nothing. The script, answered `token_expired`, fetches a fresh token and sends again once.
      const sendAgain = async (): Promise<FastifyReply> => {
        if (json)
          return sendProblem(
            reply,
            new AppError(
              "token_expired",
              400,
              "The form's token is missing, expired or used up; fetch a new one.",
              {
                errors: [{ path: `body.${FORM_CONTROL_NAMES.token}`, message: words.confirm }],
              },
            ),
          );
        const fresh = issueToken(form.signing_key, form.public_id, now, form.consent_version);
        return sendPage(
          reply,
          form,
          200,
          formPage(await pageView(), {
            token: fresh,
            values: keptValues(checked.ok ? checked.submission.submitted : checked.submitted, sawCurrent),
            problems: [],
            notice: words.confirm,
            hidden: carried,
          }),
        );
      };
      // Sent sooner than most people fill a form in: perhaps a bot, perhaps a person with autofill. Asked to send
      // again rather than dropped; a bot that waits has to fetch a page for every attempt, which is limited.
      if (token.kind === "missing" || token.kind === "expired" || token.kind === "tooFast")
        return sendAgain();

      if (!sawCurrent) {
        // The consent text changed (or came, or went) since the visitor's page was made: they are shown the
        // current one with the box unticked, and nothing is recorded until they send that.
        if (json)
          return sendProblem(
            reply,
            new AppError(
              "version_conflict",
              409,
              "The form's consent text has changed since the form was shown; show the current one.",
              { errors: [{ path: `body.${FORM_CONTROL_NAMES.consent}`, message: words.consentChanged }] },
            ),
          );
        return sendPage(
          reply,
          form,
          409,
          formPage(await pageView(), {
            token: reissueToken(form.signing_key, form.public_id, token, form.consent_version),
            values: keptValues(checked.ok ? checked.submission.submitted : checked.submitted, false),
            problems: [],
            notice: words.consentChanged,
            hidden: carried,
          }),
        );
      }

      if (!checked.ok) {
        if (json)
          return sendProblem(
            reply,
            new AppError(
              "invalid_request",
              400,
              `The submission is not valid: ${checked.problems.map((p) => `${p.target}: ${p.problem}`).join("; ")}`,
              {
                errors: checked.problems.map((p) => ({
                  path: `body.${p.target}`,
                  message: words[p.problem],
                })),
              },
            ),
          );
        return sendPage(
          reply,
          form,
          400,
          formPage(await pageView(), {
            token: reissueToken(form.signing_key, form.public_id, token, form.consent_version),
            values: keptValues(checked.submitted, true),
            problems: checked.problems,
            notice: null,
            hidden: carried,
          }),
        );
      }

      // Counted only here, for a submission that would be accepted: spam that is dropped or refused above never
      // shuts the form for everyone. An address is counted with the client that sends it, so nobody can lock a
      // person's own address out by sending it first.
      const addressWait = await perAddress(
        request,
        `${form.id}:${clientKey(request.ip)}:${checked.submission.email.address}`,
      );
      if (addressWait !== null) return tooMany(addressWait);
      const formWait = await perForm(request, form.id);
      if (formWait !== null) return tooMany(formWait);
      const accepted = await acceptSubmission(
        db,
        form,
        checked.submission,
        form.consent_version,
        token.id,
        now,
      );
      if (accepted === null) return sendAgain();
      return received();
    });
  });
}

/** What an admin pastes: the plain form posting to this server, and the script that makes it nicer. */
export async function embedOf(scope: Scope, id: string, language: Language, request: FastifyRequest) {
  await requireAdmin(scope.db, scope.caller, "manages web forms");
  const loaded = await loadForm(scope.db, scope.caller.orgId, id);
  if (!loaded) throw notFound("The web form");
  const { row, consentText } = loaded;
  const origin = ownOrigin(request);
  const action = `${origin}/f/${row.public_id}`;
  const view: FormView = {
    publicId: row.public_id,
    title: row.title,
    fields: row.fields,
    definitions: await scope.db
      .selectFrom("custom_field_definitions")
      .selectAll()
      .where("org_id", "=", scope.caller.orgId)
      .execute(),
    consentVersion: row.consent_version,
    consentText,
    language,
  };
  const form = formMarkup(view, { token: null, values: {}, problems: [], notice: null, hidden: {} }, action, {
    inlineHoneypotStyle: true,
  });
  return {
    hostedUrl: action,
    html: form,
    scriptUrl: `${origin}/f/embed.js`,
  };
}
