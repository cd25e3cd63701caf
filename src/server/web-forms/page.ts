import { type Language, translate } from "../../shared/languages";
import {
  FORM_CONTROL_NAMES,
  type FormField,
  formFieldMaxChars,
  isMultilineFormField,
} from "../../shared/web-forms";
import type { CustomFieldDefinitionRow } from "../db/tables";
import { formPageMessages } from "./messages";
import type { FieldProblem } from "./submission";

// The form as HTML: the hosted page at /f/<publicId> (no script at all: it works in any browser and its policy
// allows none), and the snippet a site pastes (the same form, posting here, with the optional script beside it).
// Every text from outside (labels, values, the consent text) is escaped; nothing is ever written unescaped.

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

export interface FormView {
  publicId: string;
  title: string | null;
  fields: readonly FormField[];
  definitions: readonly CustomFieldDefinitionRow[];
  /** The consent version the page shows (null: none) and its text; the page's token names the same version. */
  consentVersion: number | null;
  consentText: string | null;
  language: Language;
}

export interface FormState {
  /** The signed timestamp; none in a pasted snippet (its script fetches one). */
  token: string | null;
  values: Readonly<Record<string, string>>;
  problems: readonly { target: string; problem: FieldProblem }[];
  /** A sentence above the form: why it came back. */
  notice: string | null;
  /** The source the hosted page was opened with, carried into the submission. */
  hidden: Readonly<Record<string, string>>;
}

const labelOf = (field: FormField, language: Language) => field.labels[language] ?? field.label;

const CUSTOM = /^(contact|company)\.custom\.(.+)$/u;

function inputOf(field: FormField, view: FormView, id: string, value: string, invalid: boolean): string {
  const words = formPageMessages[view.language];
  const name = escapeHtml(field.target);
  const common = `id="${id}" name="${name}"${field.required ? " required" : ""}${invalid ? ' aria-invalid="true"' : ""}`;
  const custom = CUSTOM.exec(field.target);
  const definition = custom
    ? view.definitions.find((d) => d.entity === custom[1] && d.key === custom[2])
    : undefined;
  if (definition?.type === "choice") {
    const options = [`<option value="">${escapeHtml(words.choose)}</option>`]
      .concat(
        definition.choices.map(
          (c) =>
            `<option value="${escapeHtml(c)}"${c === value ? " selected" : ""}>${escapeHtml(c)}</option>`,
        ),
      )
      .join("");
    return `<select ${common}>${options}</select>`;
  }
  // The server's own limit for the field: the browser stops the visitor at the length that would be refused.
  const maxChars = formFieldMaxChars(field.target, definition?.type);
  const maxlength = maxChars === null ? "" : ` maxlength="${maxChars}"`;
  if (isMultilineFormField(field.target, definition?.type))
    return `<textarea ${common}${maxlength} rows="3">${escapeHtml(value)}</textarea>`;
  const type =
    field.target === "contact.email"
      ? "email"
      : field.target.endsWith(".phone")
        ? "tel"
        : field.target === "company.website"
          ? "url"
          : definition?.type === "number"
            ? "number"
            : definition?.type === "date"
              ? "date"
              : "text";
  const autocomplete: Record<string, string> = {
    "contact.email": "email",
    "contact.firstName": "given-name",
    "contact.lastName": "family-name",
    "contact.displayName": "name",
    "contact.title": "organization-title",
    "contact.phone": "tel",
    "company.name": "organization",
  };
  const auto = autocomplete[field.target] ? ` autocomplete="${autocomplete[field.target]}"` : "";
  // A number input takes no maxlength (the browser ignores it); its value is short by its nature.
  const max = type === "number" ? "" : maxlength;
  return `<input ${common} type="${type}"${auto}${max} value="${escapeHtml(value)}">`;
}

/** The form element: fields, consent, honeypot, token and source; `action` is where it posts. */
export function formMarkup(
  view: FormView,
  state: FormState,
  action: string,
  options: { inlineHoneypotStyle: boolean },
): string {
  const words = formPageMessages[view.language];
  const problemOf = new Map(state.problems.map((p) => [p.target, p.problem]));
  const rows = view.fields.map((field, i) => {
    const id = `rapport-f${i}`;
    const problem = problemOf.get(field.target);
    const required = field.required
      ? ` <span class="req" title="${escapeHtml(words.required)}">*</span>`
      : "";
    const error = problem ? `<span class="error" id="${id}-error">${escapeHtml(words[problem])}</span>` : "";
    return `<p class="field"><label for="${id}">${escapeHtml(labelOf(field, view.language))}${required}</label>${inputOf(field, view, id, state.values[field.target] ?? "", problem !== undefined)}${error}</p>`;
  });
  if (view.consentText !== null) {
    const problem = problemOf.get(FORM_CONTROL_NAMES.consent);
    rows.push(
      `<p class="consent"><label><input type="checkbox" name="${FORM_CONTROL_NAMES.consent}" value="yes" required${state.values[FORM_CONTROL_NAMES.consent] ? " checked" : ""}> ${escapeHtml(view.consentText)}</label>${problem ? `<span class="error">${escapeHtml(words[problem])}</span>` : ""}</p>`,
    );
  }
  const honeypotStyle = options.inlineHoneypotStyle
    ? ' style="position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden"'
    : "";
  const hidden = [
    ...(state.token === null ? [] : [[FORM_CONTROL_NAMES.token, state.token] as const]),
    [FORM_CONTROL_NAMES.consentVersion, String(view.consentVersion ?? 0)] as const,
    ...Object.entries(state.hidden),
  ]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
  return [
    `<form method="post" action="${escapeHtml(action)}" accept-charset="utf-8" data-rapport-form="${escapeHtml(view.publicId)}" data-consent-version="${view.consentVersion ?? 0}">`,
    hidden,
    `<div class="rapport-hp" aria-hidden="true"${honeypotStyle}><label>${escapeHtml(words.honeypot)} <input type="text" name="${FORM_CONTROL_NAMES.honeypot}" tabindex="-1" autocomplete="off" value=""></label></div>`,
    ...rows,
    `<p><button type="submit">${escapeHtml(words.send)}</button></p>`,
    "</form>",
  ].join("\n");
}

const STYLE =
  "body{font-family:system-ui,sans-serif;margin:0;padding:1rem;color:CanvasText;background:Canvas}" +
  "main{max-width:36rem;margin:0 auto}label{display:block;font-weight:600;margin-bottom:.25rem}" +
  "input,select,textarea{font:inherit;width:100%;box-sizing:border-box;padding:.4rem}" +
  ".consent label{font-weight:400}.consent input{width:auto}.error{color:#b00020;display:block}" +
  ".notice{border-left:4px solid #b00020;padding-left:.5rem}" +
  ".rapport-hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}" +
  "button{font:inherit;padding:.5rem 1.5rem}";

/** A whole page around some body markup, in the visitor's language. */
export function page(language: Language, title: string, body: string): string {
  return [
    "<!doctype html>",
    `<html lang="${language}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="referrer" content="strict-origin-when-cross-origin"><title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style></head>`,
    `<body><main>${body}</main></body></html>`,
  ].join("\n");
}

export function formPage(view: FormView, state: FormState): string {
  const words = formPageMessages[view.language];
  const title = view.title ?? "";
  const notice = state.notice ?? (state.problems.length ? words.problems : null);
  return page(
    view.language,
    title,
    [
      title ? `<h1>${escapeHtml(title)}</h1>` : "",
      notice ? `<p class="notice" role="alert">${escapeHtml(notice)}</p>` : "",
      formMarkup(view, state, `/f/${view.publicId}?lang=${view.language}`, { inlineHoneypotStyle: false }),
    ].join("\n"),
  );
}

export function messagePage(language: Language, title: string, message: string): string {
  return page(
    language,
    title,
    `${title ? `<h1>${escapeHtml(title)}</h1>` : ""}<p role="status">${escapeHtml(message)}</p>`,
  );
}

/** The follow-up task's title in its owner's language. */
export function taskTitle(language: Language, name: string): string {
  return translate(formPageMessages[language].taskTitle, { name: name.slice(0, 200) });
}
