import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Language } from "../../shared/languages";
import { clientKey } from "../accounts/throttle";
import type { Database } from "../db/database";
import { pageLanguage } from "../web-forms/public";
import { readAnswer } from "./answer";
import { findRatingKey } from "./keys";
import { type LinkVerdict, unverifiedOrgOf, verifyLink } from "./link";
import { ratingPageMessages } from "./messages";
import { messagePage, surveyFormPage, thanksPage } from "./page";
import { answerOf, contactExists, recordAnswer } from "./service";

// The survey's public page, with no signed-in caller: /s/<token> shows the question, a post to it records the
// answer. The token names its organisation; that organisation's key, read behind that organisation's wall (a name
// that is no organisation finds no key), checks the signature, and everything after runs behind the same wall. A token that
// does not check, and a link whose contact is gone, answer 404 with the same page and store nothing; an expired
// one answers 410 in the link's language.

/** A score and a comment at its longest in 4-byte characters, percent-encoded: far below the API's limit. */
export const SURVEY_BODY_LIMIT = 32 * 1024;

export interface SurveyLimits {
  /** Pages and answers per minute from one client address (behind trusted proxies, the client's; an IPv6 /64). */
  perIpPerMinute: number;
}

export const DEFAULT_SURVEY_LIMITS: SurveyLimits = { perIpPerMinute: 30 };

const POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return (
    reply
      .status(status)
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .header("content-security-policy", POLICY)
      .header("x-content-type-options", "nosniff")
      // The token is the address: it must not travel to another site in a Referer.
      .header("referrer-policy", "no-referrer")
      .send(html)
  );
}

/** The link's verdict: its organisation's key checks it, and its contact is still there. */
async function checkLink(database: Database, token: unknown, now: Date): Promise<LinkVerdict> {
  if (typeof token !== "string") return { kind: "forged" };
  const orgId = unverifiedOrgOf(token);
  if (orgId === null) return { kind: "forged" };
  const db = database.forOrganization(orgId);
  const key = await findRatingKey(db, orgId);
  if (!key) return { kind: "forged" };
  const verdict = verifyLink(key, token, now);
  if (verdict.kind === "forged") return verdict;
  return (await contactExists(db, verdict.claims)) ? verdict : { kind: "forged" };
}

const keyOf = new WeakMap<FastifyRequest, string>();

export async function publicSurveyRoutes(
  app: FastifyInstance,
  database: Database,
  clock: () => Date,
  limits: SurveyLimits,
): Promise<void> {
  if (!app.hasDecorator("createRateLimit")) await app.register(rateLimit, { global: false });
  const check = app.createRateLimit({
    max: limits.perIpPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => `survey-ip:${keyOf.get(request) ?? ""}`,
  });
  const wait = async (request: FastifyRequest): Promise<number | null> => {
    keyOf.set(request, clientKey(request.ip));
    const limit = await check(request);
    return limit.isAllowed || !limit.isExceeded ? null : limit.ttlInSeconds;
  };

  await app.register(async (scope) => {
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: SURVEY_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );

    const tokenOf = (request: FastifyRequest) => (request.params as { token?: unknown }).token;
    const actionOf = (token: string) => `/s/${token}`;
    const unknown = (reply: FastifyReply, request: FastifyRequest) => {
      const language = pageLanguage({}, request.headers["accept-language"]);
      return sendPage(reply, 404, messagePage(language, ratingPageMessages[language].notFound));
    };
    const tooMany = (reply: FastifyReply, request: FastifyRequest, seconds: number) => {
      const language = pageLanguage({}, request.headers["accept-language"]);
      return sendPage(
        reply.header("retry-after", String(seconds)),
        429,
        messagePage(language, ratingPageMessages[language].tooMany),
      );
    };
    const expired = (reply: FastifyReply, language: Language) =>
      sendPage(reply, 410, messagePage(language, ratingPageMessages[language].expired));

    scope.get("/s/:token", async (request, reply) => {
      const seconds = await wait(request);
      if (seconds !== null) return tooMany(reply, request, seconds);
      const verdict = await checkLink(database, tokenOf(request), clock());
      if (verdict.kind === "forged") return unknown(reply, request);
      const { claims } = verdict;
      if (verdict.kind === "expired") return expired(reply, claims.language);
      const answer = await answerOf(database.forOrganization(claims.orgId), claims);
      return sendPage(
        reply,
        200,
        surveyFormPage({
          kind: claims.kind,
          language: claims.language,
          action: actionOf(tokenOf(request) as string),
          score: answer?.score ?? null,
          comment: answer?.comment ?? "",
          expiresAt: claims.expiresAt,
          notice: null,
        }),
      );
    });

    scope.post("/s/:token", { bodyLimit: SURVEY_BODY_LIMIT }, async (request, reply) => {
      const seconds = await wait(request);
      if (seconds !== null) return tooMany(reply, request, seconds);
      const now = clock();
      const verdict = await checkLink(database, tokenOf(request), now);
      if (verdict.kind === "forged") return unknown(reply, request);
      const { claims } = verdict;
      if (verdict.kind === "expired") return expired(reply, claims.language);
      const token = tokenOf(request) as string;
      const { score, comment } = readAnswer(request.body, claims.kind);
      if (score === null)
        return sendPage(
          reply,
          400,
          surveyFormPage({
            kind: claims.kind,
            language: claims.language,
            action: actionOf(token),
            score: null,
            comment: comment ?? "",
            expiresAt: claims.expiresAt,
            notice: ratingPageMessages[claims.language].invalid,
          }),
        );
      const recorded = await recordAnswer(
        database.forOrganization(claims.orgId),
        claims,
        score,
        comment,
        now,
      );
      if (!recorded) return unknown(reply, request);
      return sendPage(reply, 200, thanksPage(claims.language, actionOf(token), score, claims.expiresAt));
    });
  });
}
