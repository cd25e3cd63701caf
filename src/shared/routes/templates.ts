import { IdParams } from "../common";
import {
  RenderedTemplate,
  SenderProfile,
  SenderProfileUpdate,
  Template,
  TemplateCreate,
  TemplateListQuery,
  TemplateRenderRequest,
  TemplateStats,
  TemplateUpdate,
} from "../templates";
import { type RouteContract, crud } from "./contract";

const templates = crud(
  "/api/v1/templates",
  "template",
  Template,
  TemplateCreate,
  TemplateUpdate,
  TemplateListQuery,
);

/**
 * Email templates with merge fields: the organisation's (admins write them) and each rep's own (nobody else sees
 * them); rendering one for a contact; how often each was used and answered; the rep's own merge fields.
 */
export const templateRoutes = {
  listTemplates: templates.list,
  createTemplate: {
    ...templates.create,
    summary:
      "Create a template (the organisation's: admins only); a merge field that does not exist is refused, HTML is sanitised",
  },
  getTemplate: templates.get,
  updateTemplate: {
    ...templates.update,
    summary: "Update, archive or restore a template (stale version: 409 with the current template)",
  },
  deleteTemplate: templates.remove,
  renderTemplate: {
    method: "POST",
    path: "/api/v1/templates/:id/render",
    summary:
      "A template filled in for a contact (and a deal), in the contact's language, with the fields left unfilled",
    params: IdParams,
    body: TemplateRenderRequest,
    responses: { 200: RenderedTemplate },
  },
  templateStats: {
    method: "GET",
    path: "/api/v1/templates/:id/stats",
    summary: "How many logged emails a template wrote, and how many of them were answered",
    params: IdParams,
    responses: { 200: TemplateStats },
  },
  getSenderProfile: {
    method: "GET",
    path: "/api/v1/me/sender-profile",
    summary: "The caller's name, title, phone and signature, as templates' {{rep.…}} fields fill them in",
    responses: { 200: SenderProfile },
  },
  updateSenderProfile: {
    method: "PATCH",
    path: "/api/v1/me/sender-profile",
    summary: "Set the caller's title, phone or signature for templates",
    body: SenderProfileUpdate,
    responses: { 200: SenderProfile },
  },
} as const satisfies Record<string, RouteContract>;
