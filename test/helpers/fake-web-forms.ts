import { ApiError } from "../../src/client/problems";
import { Problem } from "../../src/shared/errors";
import type { RouteName } from "../../src/shared/routes";
import type { Lead, WebForm, WebFormCreate, WebFormUpdate } from "../../src/shared/web-forms";

const now = "2026-11-20T09:30:00.000Z";
const id = (n: number) => `7d000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const problem = (status: number, code: Problem["code"], detail: string, extra: Partial<Problem> = {}) =>
  new ApiError(status, Problem.parse({ type: "about:blank", title: code, status, detail, code, ...extra }));

/** The web forms and their leads as the fake server holds them. */
export interface FakeWebForms {
  forms: WebForm[];
  /** Newest first, as the server lists them. */
  leads: Lead[];
}

export const WEB_FORMS_UNHANDLED = Symbol("not a web form route");

export const fakeWebForms = (): FakeWebForms => ({ forms: [], leads: [] });

/** A form as the server would answer it, with what a test gives it. */
export function webForm(fields: Partial<WebForm> & { name: string; ownerId: string }): WebForm {
  const { ownerId, ...rest } = fields;
  return {
    id: id(1),
    publicId: "AbCdEfGhIjKlMnOpQrStUv",
    title: null,
    fields: [{ target: "contact.email", label: "Email", labels: {}, required: true }],
    consentText: null,
    consentVersion: null,
    afterSubmit: { kind: "message", message: "Thanks!" },
    owner: { kind: "user", userId: ownerId },
    allowedOrigins: [],
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...rest,
  };
}

/** The web form routes as the server answers them: admins build forms (versions checked); everyone reads leads. */
export function handleWebForms(
  state: FakeWebForms,
  role: "admin" | "member",
  name: RouteName,
  params: Record<string, string> | undefined,
  query: Record<string, string>,
  body: Record<string, unknown> | undefined,
): unknown {
  if (name === "listLeads") {
    const items = state.leads.filter((l) => !query.formId || l.formId === query.formId);
    return { items, nextCursor: null };
  }
  const formRoutes: RouteName[] = [
    "listWebForms",
    "createWebForm",
    "getWebForm",
    "updateWebForm",
    "deleteWebForm",
    "webFormEmbed",
  ];
  if (!formRoutes.includes(name)) return WEB_FORMS_UNHANDLED;
  if (role !== "admin")
    throw problem(403, "forbidden", "Only an admin of the organisation manages web forms.");
  if (name === "listWebForms") return { items: state.forms };
  if (name === "createWebForm") {
    const input = body as unknown as WebFormCreate;
    const made: WebForm = {
      ...webForm({ name: input.name, ownerId: "" }),
      ...input,
      id: id(100 + state.forms.length),
      publicId: `PublicId${String(state.forms.length).padStart(14, "0")}`,
      consentVersion: input.consentText === null ? null : 1,
    };
    state.forms = [...state.forms, made];
    return made;
  }
  const form = state.forms.find((f) => f.id === params?.id);
  if (!form) throw problem(404, "not_found", "The web form was not found.");
  switch (name) {
    case "updateWebForm": {
      const { version, ...changes } = body as unknown as WebFormUpdate;
      if (version !== form.version)
        throw problem(409, "version_conflict", "The web form changed meanwhile.", { current: form });
      const consentVersion =
        changes.consentText === undefined || changes.consentText === form.consentText
          ? form.consentVersion
          : changes.consentText === null
            ? null
            : (form.consentVersion ?? 0) + 1;
      const changed: WebForm = { ...form, ...changes, consentVersion, version: form.version + 1 };
      state.forms = state.forms.map((f) => (f.id === form.id ? changed : f));
      return changed;
    }
    case "deleteWebForm":
      state.forms = state.forms.filter((f) => f.id !== form.id);
      return { id: form.id, deleted: true };
    case "webFormEmbed": {
      const action = `https://rapport.example/f/${form.publicId}`;
      return {
        hostedUrl: action,
        html: `<form method="post" action="${action}" data-rapport-form="${form.publicId}" lang="${query.lang}"></form>`,
        scriptUrl: "https://rapport.example/f/embed.js",
      };
    }
    default:
      return form;
  }
}
