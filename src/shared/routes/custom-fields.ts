import { IdParams } from "../common";
import {
  CustomFieldCreate,
  CustomFieldDefinition,
  CustomFieldDefinitionList,
  CustomFieldDeleted,
  CustomFieldQuery,
  CustomFieldUpdate,
} from "../custom-fields";
import type { RouteContract } from "./contract";

/** The custom fields of contacts, companies and deals: everyone reads them, admins define them. */
export const customFieldRoutes = {
  listCustomFields: {
    method: "GET",
    path: "/api/v1/custom-fields",
    summary: "Custom field definitions of contacts, companies and deals",
    query: CustomFieldQuery,
    responses: { 200: CustomFieldDefinitionList },
  },
  createCustomField: {
    method: "POST",
    path: "/api/v1/custom-fields",
    summary: "Define a custom field (admins only)",
    body: CustomFieldCreate,
    responses: { 201: CustomFieldDefinition },
  },
  updateCustomField: {
    method: "PATCH",
    path: "/api/v1/custom-fields/:id",
    summary: "Relabel a custom field, change its choices or whether it is required (admins only)",
    versioned: true,
    params: IdParams,
    body: CustomFieldUpdate,
    responses: { 200: CustomFieldDefinition },
  },
  deleteCustomField: {
    method: "DELETE",
    path: "/api/v1/custom-fields/:id",
    summary: "Remove a custom field and its values from every record (admins only)",
    params: IdParams,
    responses: { 200: CustomFieldDeleted },
  },
} as const satisfies Record<string, RouteContract>;
