import { RATING_COMMENT_MAX_CHARS, RATING_SCALES, type RatingKind } from "../../shared/ratings";
import { readFormBody } from "../web-forms/submission";

// What the survey page posts: `score` and `comment`, form-encoded, read in one pass each (the body is bounded by
// the route's limit before it gets here).

/** A score of the link's scale, or null: digits only, at most two, so reading it is bounded whatever is sent. */
function scoreOf(text: string | undefined, kind: RatingKind): number | null {
  if (text === undefined || !/^\d{1,2}$/.test(text)) return null;
  const score = Number(text);
  const { min, max } = RATING_SCALES[kind];
  return score >= min && score <= max ? score : null;
}

/** A comment as kept: trimmed, line breaks as \n, nothing that cannot be stored, and within its length. */
function commentOf(text: string | undefined): string | null {
  // Control characters other than line breaks and tabs (a NUL cannot be stored) go; one pass.
  const clean = (text ?? "")
    .replace(/\r\n?/g, "\n")
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .trim();
  if (clean === "") return null;
  // Cut by characters, as the store counts them, never inside one.
  return Array.from(clean).slice(0, RATING_COMMENT_MAX_CHARS).join("");
}

/** The score (null: none on the link's scale) and the comment a posted body holds; anything else is ignored. */
export function readAnswer(
  body: unknown,
  kind: RatingKind,
): { score: number | null; comment: string | null } {
  const values = typeof body === "string" ? readFormBody(body) : null;
  return { score: scoreOf(values?.get("score"), kind), comment: commentOf(values?.get("comment")) };
}
