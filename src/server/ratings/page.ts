import { type Language, localeFor, translate } from "../../shared/languages";
import { RATING_COMMENT_MAX_CHARS, RATING_SCALES, type RatingKind } from "../../shared/ratings";
import { escapeHtml } from "../web-forms/page";
import { ratingPageMessages } from "./messages";

// The survey page at /s/<token>: one question as a row of radio buttons, a comment box and a button, in a plain
// form that posts back to the same address. It has no script at all (its policy allows none) and works in any
// browser and mail client's viewer. It never shows who the link is for or anything else the store holds: only
// the question, and the score this link was answered with.

const STYLE =
  "body{font-family:system-ui,sans-serif;margin:0;padding:1rem;color:CanvasText;background:Canvas}" +
  "main{max-width:40rem;margin:0 auto}fieldset{border:0;padding:0;margin:0 0 1rem}" +
  "legend{font-weight:600;font-size:1.15rem;margin-bottom:.75rem}" +
  ".scale{display:flex;flex-wrap:wrap;gap:.25rem}.scale label{display:flex;flex-direction:column;" +
  "align-items:center;min-width:2.5rem;padding:.25rem;border:1px solid GrayText;border-radius:.25rem}" +
  ".ends{display:flex;justify-content:space-between;gap:1rem;font-size:.9rem;margin-top:.25rem}" +
  "textarea{font:inherit;width:100%;box-sizing:border-box;padding:.4rem}" +
  ".comment label{display:block;font-weight:600;margin-bottom:.25rem}" +
  ".notice{border-left:4px solid #b00020;padding-left:.5rem}button{font:inherit;padding:.5rem 1.5rem}";

/** A whole page around some body markup, in the contact's language. */
export function surveyPage(language: Language, body: string): string {
  const words = ratingPageMessages[language];
  return [
    "<!doctype html>",
    `<html lang="${language}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex">`,
    `<title>${escapeHtml(words.title)}</title><style>${STYLE}</style></head>`,
    `<body><main>${body}</main></body></html>`,
  ].join("\n");
}

export interface SurveyState {
  kind: RatingKind;
  language: Language;
  /** Where the form posts: the link's own path. */
  action: string;
  /** The score this link was answered with, checked again; null before an answer. */
  score: number | null;
  comment: string;
  expiresAt: Date;
  /** A sentence above the form: why it came back. */
  notice: string | null;
}

const dateText = (language: Language, date: Date) =>
  new Intl.DateTimeFormat(localeFor(language), { dateStyle: "long", timeZone: "UTC" }).format(date);

/** The question and its form; with a score already given, that score is checked and the page says so. */
export function surveyFormPage(state: SurveyState): string {
  const words = ratingPageMessages[state.language];
  const { min, max } = RATING_SCALES[state.kind];
  const options: string[] = [];
  for (let score = min; score <= max; score++)
    options.push(
      `<label><input type="radio" name="score" value="${score}" required${score === state.score ? " checked" : ""}>${score}</label>`,
    );
  const [question, low, high] =
    state.kind === "nps"
      ? [words.npsQuestion, words.npsLow, words.npsHigh]
      : [words.csatQuestion, words.csatLow, words.csatHigh];
  const answered =
    state.score === null
      ? ""
      : `<p role="status">${escapeHtml(translate(words.answered, { score: state.score, date: dateText(state.language, state.expiresAt) }))}</p>`;
  return surveyPage(
    state.language,
    [
      `<h1>${escapeHtml(words.title)}</h1>`,
      state.notice ? `<p class="notice" role="alert">${escapeHtml(state.notice)}</p>` : "",
      answered,
      `<form method="post" action="${escapeHtml(state.action)}" accept-charset="utf-8">`,
      `<fieldset><legend>${escapeHtml(question)}</legend><div class="scale">${options.join("")}</div>`,
      `<div class="ends"><span>${escapeHtml(low)}</span><span>${escapeHtml(high)}</span></div></fieldset>`,
      `<p class="comment"><label for="comment">${escapeHtml(words.comment)}</label>`,
      `<textarea id="comment" name="comment" rows="4" maxlength="${RATING_COMMENT_MAX_CHARS}">${escapeHtml(state.comment)}</textarea></p>`,
      `<p><button type="submit">${escapeHtml(state.score === null ? words.send : words.change)}</button></p>`,
      "</form>",
    ].join("\n"),
  );
}

/** The thank-you after an answer, with the score given and a way back to change it while the link is good. */
export function thanksPage(language: Language, action: string, score: number, expiresAt: Date): string {
  const words = ratingPageMessages[language];
  return surveyPage(
    language,
    [
      `<h1>${escapeHtml(words.thanks)}</h1>`,
      `<p role="status">${escapeHtml(translate(words.answered, { score, date: dateText(language, expiresAt) }))}</p>`,
      `<p><a href="${escapeHtml(action)}">${escapeHtml(words.change)}</a></p>`,
    ].join("\n"),
  );
}

/** A page with one sentence: expired, not valid, too many. */
export function messagePage(language: Language, message: string): string {
  return surveyPage(
    language,
    `<h1>${escapeHtml(ratingPageMessages[language].title)}</h1><p role="status">${escapeHtml(message)}</p>`,
  );
}
