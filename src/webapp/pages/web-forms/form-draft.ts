import type { CustomFieldDefinition } from "../../../shared/custom-fields";
import {
  FORM_COMPANY_FIELDS,
  FORM_CONTACT_FIELDS,
  type WebForm,
  type WebFormCreate,
} from "../../../shared/web-forms";

// A form as the admin edits it: plain strings for every box (an empty consent is none, the origins one a line),
// turned into the contract's body only when sent, where the server checks it like any other input.

export interface FieldDraft {
  target: string;
  label: string;
  /** The labels in other languages the form already had: kept as they were, the builder edits the main one. */
  labels: WebForm["fields"][number]["labels"];
  required: boolean;
}

export interface FormDraft {
  name: string;
  title: string;
  fields: FieldDraft[];
  consentText: string;
  after: "message" | "redirect";
  message: string;
  redirectUrl: string;
  ownerKind: "user" | "roundRobin";
  ownerId: string;
  ownerIds: string[];
  origins: string;
}

export const EMAIL_TARGET = "contact.email";

/** Every place a field can go: the contact's and company's own fields, then their custom fields. */
export function targetsOf(customFields: readonly CustomFieldDefinition[]): string[] {
  return [
    ...FORM_CONTACT_FIELDS.map((f) => `contact.${f}`),
    ...FORM_COMPANY_FIELDS.map((f) => `company.${f}`),
    ...customFields
      .filter((d) => d.entity === "contact" || d.entity === "company")
      .map((d) => `${d.entity}.custom.${d.key}`),
  ];
}

export function draftOf(form: WebForm): FormDraft {
  return {
    name: form.name,
    title: form.title ?? "",
    fields: form.fields.map((f) => ({ ...f })),
    consentText: form.consentText ?? "",
    after: form.afterSubmit.kind,
    message: form.afterSubmit.kind === "message" ? form.afterSubmit.message : "",
    redirectUrl: form.afterSubmit.kind === "redirect" ? form.afterSubmit.url : "",
    ownerKind: form.owner.kind,
    ownerId: form.owner.kind === "user" ? form.owner.userId : (form.owner.userIds[0] ?? ""),
    ownerIds: form.owner.kind === "roundRobin" ? form.owner.userIds : [form.owner.userId],
    origins: form.allowedOrigins.join("\n"),
  };
}

/** A new form: the address (which every form asks for), a name, the company, and the admin as the owner. */
export function newDraft(labelOf: (target: string) => string, selfId: string): FormDraft {
  const field = (target: string, required: boolean): FieldDraft => ({
    target,
    label: labelOf(target),
    labels: {},
    required,
  });
  return {
    name: "",
    title: "",
    fields: [
      field(EMAIL_TARGET, true),
      field("contact.firstName", false),
      field("contact.lastName", false),
      field("company.name", false),
    ],
    consentText: "",
    after: "message",
    message: "",
    redirectUrl: "",
    ownerKind: "user",
    ownerId: selfId,
    ownerIds: [selfId],
    origins: "",
  };
}

/** The draft as the contract's body: what the admin typed, trimmed, the server the judge of the rest. */
export function bodyOf(draft: FormDraft): WebFormCreate {
  return {
    name: draft.name.trim(),
    title: draft.title.trim() === "" ? null : draft.title.trim(),
    fields: draft.fields.map((f) => ({
      target: f.target,
      label: f.label.trim(),
      labels: f.labels,
      required: f.target === EMAIL_TARGET ? true : f.required,
    })),
    consentText: draft.consentText.trim() === "" ? null : draft.consentText.trim(),
    afterSubmit:
      draft.after === "message"
        ? { kind: "message", message: draft.message.trim() }
        : { kind: "redirect", url: draft.redirectUrl.trim() },
    owner:
      draft.ownerKind === "user"
        ? { kind: "user", userId: draft.ownerId }
        : { kind: "roundRobin", userIds: draft.ownerIds },
    allowedOrigins: draft.origins
      .split("\n")
      .map((o) => o.trim())
      .filter((o) => o !== ""),
  };
}
