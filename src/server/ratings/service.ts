import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Language } from "../../shared/languages";
import {
  RATING_LINK_DAYS,
  type Rating,
  type RatingKind,
  type RatingLink,
  type RatingSummary,
  type RatingTrend,
} from "../../shared/ratings";
import type { DB } from "../db/tables";
import { notFound } from "../errors";
import type { Scope } from "../scope";
import { ratingKey } from "./keys";
import { type LinkClaims, signLink } from "./link";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The public page's address for a token, on the server's public address (or the origin the rep's request came to). */
export const surveyUrl = (base: string, token: string) => `${base.replace(/\/+$/, "")}/s/${token}`;

/** A signed link for a contact of the organisation, in the given language, good for RATING_LINK_DAYS. */
export async function makeSurveyLink(
  db: Kysely<DB>,
  orgId: string,
  contactId: string,
  kind: RatingKind,
  language: Language,
  now: Date,
  base: string,
): Promise<RatingLink> {
  const key = await ratingKey(db, orgId);
  // Whole seconds, as the token holds them, so what the API says is what the page will say.
  const issuedAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const expiresAt = new Date(issuedAt.getTime() + RATING_LINK_DAYS * DAY_MS);
  const { token } = signLink(key, { orgId, contactId, kind, language, issuedAt, expiresAt });
  return { kind, url: surveyUrl(base, token), language, expiresAt: expiresAt.toISOString() };
}

/** The survey's language for a contact: theirs, else the rep's, else English. */
async function surveyLanguage(
  db: Kysely<DB>,
  orgId: string,
  contactLanguage: Language | null,
  userId: string,
): Promise<Language> {
  if (contactLanguage) return contactLanguage;
  const rep = await db
    .selectFrom("users")
    .select("language")
    .where("org_id", "=", orgId)
    .where("id", "=", userId)
    .executeTakeFirst();
  return rep?.language ?? "en";
}

export async function createRatingLink(
  scope: Scope,
  contactId: string,
  kind: RatingKind,
  now: Date,
  base: string,
): Promise<RatingLink> {
  const { orgId, userId } = scope.caller;
  const contact = await scope.db
    .selectFrom("contacts")
    .select(["id", "language"])
    .where("org_id", "=", orgId)
    .where("id", "=", contactId)
    .executeTakeFirst();
  if (!contact) throw notFound("The contact");
  const language = await surveyLanguage(scope.db, orgId, contact.language, userId);
  return makeSurveyLink(scope.db, orgId, contact.id, kind, language, now, base);
}

// ---------------------------------------------------------------------------------------------------------
// Answers

/** The answer a link was given, or null before one. */
export async function answerOf(db: Kysely<DB>, claims: LinkClaims) {
  const row = await db
    .selectFrom("ratings")
    .select(["score", "comment"])
    .where("org_id", "=", claims.orgId)
    .where("link_id", "=", claims.linkId)
    .executeTakeFirst();
  return row ?? null;
}

/** Whether the contact a link was made for is still there (an erased contact's links answer as invalid). */
export async function contactExists(db: Kysely<DB>, claims: LinkClaims): Promise<boolean> {
  const row = await db
    .selectFrom("contacts")
    .select("id")
    .where("org_id", "=", claims.orgId)
    .where("id", "=", claims.contactId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a link's answer, or replaces the one it had: one row per link, keyed by its id, written in one
 * statement so two answers sent at once leave one. The owner is the contact's as they answer. False when the
 * contact is gone.
 */
export async function recordAnswer(
  db: Kysely<DB>,
  claims: LinkClaims,
  score: number,
  comment: string | null,
  now: Date,
): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const contact = await tx
      .selectFrom("contacts")
      .select(["id", "owner_id"])
      .where("org_id", "=", claims.orgId)
      .where("id", "=", claims.contactId)
      .forShare()
      .executeTakeFirst();
    if (!contact) return false;
    await tx
      .insertInto("ratings")
      .values({
        org_id: claims.orgId,
        link_id: claims.linkId,
        contact_id: contact.id,
        kind: claims.kind,
        score,
        comment,
        language: claims.language,
        owner_id: contact.owner_id,
        sent_at: claims.issuedAt,
        expires_at: claims.expiresAt,
        answered_at: now,
      })
      .onConflict((oc) =>
        oc.columns(["org_id", "link_id"]).doUpdateSet({
          score,
          comment,
          owner_id: contact.owner_id,
          answered_at: now,
        }),
      )
      .execute();
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Profiles

const RECENT = 10;

type RatingRow = {
  id: string;
  contact_id: string;
  kind: RatingKind;
  score: number;
  comment: string | null;
  language: Language;
  answered_at: Date;
};

export const toRating = (r: RatingRow): Rating => ({
  id: r.id,
  contactId: r.contact_id,
  kind: r.kind,
  score: r.score,
  comment: r.comment,
  language: r.language,
  answeredAt: r.answered_at.toISOString(),
});

/** The ratings of the contacts `who` picks (one contact, or a company's), newest first. */
async function summaryOf(scope: Scope, who: RawBuilder<boolean>): Promise<RatingSummary> {
  const { orgId } = scope.caller;
  const base = () =>
    scope.db
      .selectFrom("ratings as r")
      .innerJoin("contacts as c", (join) =>
        join.onRef("c.id", "=", "r.contact_id").onRef("c.org_id", "=", "r.org_id"),
      )
      .where("r.org_id", "=", orgId)
      .where(who);
  const columns = [
    "r.id",
    "r.contact_id",
    "r.kind",
    "r.score",
    "r.comment",
    "r.language",
    "r.answered_at",
  ] as const;
  const trend = async (kind: RatingKind): Promise<RatingTrend | null> => {
    const [last, counted] = await Promise.all([
      base()
        .select(columns)
        .where("r.kind", "=", kind)
        .orderBy("r.answered_at", "desc")
        .orderBy("r.id", "desc")
        .limit(2)
        .execute(),
      base()
        .select((eb) => eb.fn.countAll<string>().as("count"))
        .where("r.kind", "=", kind)
        .executeTakeFirst(),
    ]);
    const [latest, previous] = last;
    if (!latest) return null;
    return {
      latest: latest.score,
      latestAt: latest.answered_at.toISOString(),
      previous: previous?.score ?? null,
      change: previous ? latest.score - previous.score : null,
      count: Number(counted?.count ?? 0),
    };
  };
  const [nps, csat, recent] = await Promise.all([
    trend("nps"),
    trend("csat"),
    base()
      .select([...columns, "c.display_name"])
      .orderBy("r.answered_at", "desc")
      .orderBy("r.id", "desc")
      .limit(RECENT)
      .execute(),
  ]);
  return { nps, csat, recent: recent.map((r) => ({ ...toRating(r), contactName: r.display_name })) };
}

export async function contactRatings(scope: Scope, contactId: string): Promise<RatingSummary> {
  const { orgId } = scope.caller;
  const contact = await scope.db
    .selectFrom("contacts")
    .select("id")
    .where("org_id", "=", orgId)
    .where("id", "=", contactId)
    .executeTakeFirst();
  if (!contact) throw notFound("The contact");
  return summaryOf(scope, sql<boolean>`c.id = ${contact.id}`);
}

/** A company's scores: its contacts' answers together (the latest of any of them, and the one before). */
export async function companyRatings(scope: Scope, companyId: string): Promise<RatingSummary> {
  const { orgId } = scope.caller;
  const company = await scope.db
    .selectFrom("companies")
    .select("id")
    .where("org_id", "=", orgId)
    .where("id", "=", companyId)
    .executeTakeFirst();
  if (!company) throw notFound("The company");
  return summaryOf(scope, sql<boolean>`c.company_id = ${company.id}`);
}
