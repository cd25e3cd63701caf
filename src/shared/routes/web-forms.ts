import { Deleted, IdParams, Page } from "../common";
import {
  Lead,
  LeadListQuery,
  WebForm,
  WebFormCreate,
  WebFormEmbed,
  WebFormEmbedQuery,
  WebFormList,
  WebFormUpdate,
} from "../web-forms";
import type { RouteContract } from "./contract";

/**
 * Web forms for leads: admins build them here; visitors fill them in at /f/<publicId> (served outside the API:
 * a page and a form post, see docs/web-forms.md), and each submission becomes a lead.
 */
export const webFormRoutes = {
  listWebForms: {
    method: "GET",
    path: "/api/v1/web-forms",
    summary: "The organisation's web forms (admins only)",
    responses: { 200: WebFormList },
  },
  createWebForm: {
    method: "POST",
    path: "/api/v1/web-forms",
    summary:
      "Create a web form: its fields, consent text, answer, owner rule and embedding sites (admins only)",
    body: WebFormCreate,
    responses: { 201: WebForm },
  },
  getWebForm: {
    method: "GET",
    path: "/api/v1/web-forms/:id",
    summary: "Read a web form (admins only)",
    params: IdParams,
    responses: { 200: WebForm },
  },
  updateWebForm: {
    method: "PATCH",
    path: "/api/v1/web-forms/:id",
    summary: "Change a web form; a new consent text is a new version (admins only; stale version: 409)",
    versioned: true,
    params: IdParams,
    body: WebFormUpdate,
    responses: { 200: WebForm },
  },
  deleteWebForm: {
    method: "DELETE",
    path: "/api/v1/web-forms/:id",
    summary: "Delete a web form; its leads stay, without it (admins only)",
    params: IdParams,
    responses: { 200: Deleted },
  },
  webFormEmbed: {
    method: "GET",
    path: "/api/v1/web-forms/:id/embed",
    summary: "The form's hosted address, the plain HTML form to paste into a site, and its optional script",
    params: IdParams,
    query: WebFormEmbedQuery,
    responses: { 200: WebFormEmbed },
  },
  listLeads: {
    method: "GET",
    path: "/api/v1/leads",
    summary: "Leads from web forms, newest first: source, UTM parameters, consent version, what was sent",
    query: LeadListQuery,
    responses: { 200: Page(Lead) },
  },
} as const satisfies Record<string, RouteContract>;
