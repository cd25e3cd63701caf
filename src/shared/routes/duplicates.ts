import { IdParams, Page } from "../common";
import {
  CompanyDuplicate,
  CompanyMerge,
  CompanyMerged,
  ContactDuplicate,
  ContactMerge,
  ContactMerged,
  DuplicateDismissal,
  DuplicateDismissed,
  DuplicateListQuery,
} from "../duplicates";
import type { RouteContract } from "./contract";

/** Likely duplicates to review, their dismissal, and merging two contacts or two companies. */
export const duplicateRoutes = {
  listContactDuplicates: {
    method: "GET",
    path: "/api/v1/duplicates/contacts",
    summary:
      "Pairs of contacts that are likely one person, each pair once with its reasons (dismissed pairs left out)",
    query: DuplicateListQuery,
    responses: { 200: Page(ContactDuplicate) },
  },
  listCompanyDuplicates: {
    method: "GET",
    path: "/api/v1/duplicates/companies",
    summary:
      "Pairs of companies that are likely one, each pair once with its reasons (dismissed pairs left out)",
    query: DuplicateListQuery,
    responses: { 200: Page(CompanyDuplicate) },
  },
  dismissContactDuplicate: {
    method: "POST",
    path: "/api/v1/duplicates/contacts/dismissals",
    summary: "Say two contacts are not one person: the pair is not listed again",
    body: DuplicateDismissal,
    responses: { 200: DuplicateDismissed },
  },
  dismissCompanyDuplicate: {
    method: "POST",
    path: "/api/v1/duplicates/companies/dismissals",
    summary: "Say two companies are not one: the pair is not listed again",
    body: DuplicateDismissal,
    responses: { 200: DuplicateDismissed },
  },
  mergeContacts: {
    method: "POST",
    path: "/api/v1/contacts/:id/merge",
    summary:
      "Merge another contact into this one (field by field); everything of the other moves here, and its id answers 301 to this one",
    versioned: true,
    params: IdParams,
    body: ContactMerge,
    responses: { 200: ContactMerged },
  },
  mergeCompanies: {
    method: "POST",
    path: "/api/v1/companies/:id/merge",
    summary:
      "Merge another company into this one (field by field); everything of the other moves here, and its id answers 301 to this one",
    versioned: true,
    params: IdParams,
    body: CompanyMerge,
    responses: { 200: CompanyMerged },
  },
} as const satisfies Record<string, RouteContract>;
