import { Deleted, IdParams } from "../common";
import { MarketingConsent, MarketingConsentChange } from "../contacts";
import {
  Segment,
  SegmentChanges,
  SegmentChangesQuery,
  SegmentCreate,
  SegmentList,
  SegmentMembersPage,
  SegmentMembersQuery,
  SegmentPreview,
  SegmentPreviewRequest,
  SegmentUpdate,
} from "../segments";
import type { FileFormat, RouteContract } from "./contract";

const segmentExport = <F extends FileFormat>(format: F, as: string) =>
  ({
    method: "GET",
    path: `/api/v1/segments/:id/export.${format}`,
    summary: `The segment's members now (never a contact who wants no marketing), by name, as ${as}`,
    params: IdParams,
    responses: {},
    file: format,
  }) as const;

/**
 * Segments for marketing: saved filters over contacts, shared in the organisation (every member reads them; their
 * maker or an admin changes them), their members and membership changes for a marketing platform's sync, and the
 * platform's unsubscribe back.
 */
export const segmentRoutes = {
  listSegments: {
    method: "GET",
    path: "/api/v1/segments",
    summary: "The organisation's segments, by name",
    responses: { 200: SegmentList },
  },
  createSegment: {
    method: "POST",
    path: "/api/v1/segments",
    summary: "Save a segment (a filter over contacts; a custom field it names must exist)",
    body: SegmentCreate,
    responses: { 201: Segment },
  },
  previewSegment: {
    method: "POST",
    path: "/api/v1/segments/preview",
    summary:
      "Count a filter's members and show the first of them, without saving it (the editor's live count)",
    body: SegmentPreviewRequest,
    responses: { 200: SegmentPreview },
  },
  getSegment: {
    method: "GET",
    path: "/api/v1/segments/:id",
    summary: "Read a segment",
    params: IdParams,
    responses: { 200: Segment },
  },
  updateSegment: {
    method: "PATCH",
    path: "/api/v1/segments/:id",
    summary: "Change a segment (its maker or an admin; stale version: 409 with the current segment)",
    versioned: true,
    params: IdParams,
    body: SegmentUpdate,
    responses: { 200: Segment },
  },
  deleteSegment: {
    method: "DELETE",
    path: "/api/v1/segments/:id",
    summary: "Delete a segment with its membership and changes (its maker or an admin)",
    params: IdParams,
    responses: { 200: Deleted },
  },
  listSegmentMembers: {
    method: "GET",
    path: "/api/v1/segments/:id/members",
    summary:
      "The segment's members, evaluated now and paged by contact id; `changesCursor` is where its changes go on from",
    params: IdParams,
    query: SegmentMembersQuery,
    responses: { 200: SegmentMembersPage },
  },
  listSegmentChanges: {
    method: "GET",
    path: "/api/v1/segments/:id/changes",
    summary:
      "Who joined and who left the segment since the cursor (the last `seq` read; 0 for every change), in order; membership is evaluated first",
    params: IdParams,
    query: SegmentChangesQuery,
    responses: { 200: SegmentChanges },
  },
  exportSegmentCsv: segmentExport("csv", "CSV (RFC 4180, UTF-8 with a byte order mark)"),
  exportSegmentXlsx: segmentExport("xlsx", "an Excel workbook"),
  exportSegmentVcf: segmentExport("vcf", "vCards (RFC 6350)"),
  unsubscribeContact: {
    method: "POST",
    path: "/api/v1/contacts/unsubscribe",
    summary:
      "A marketing platform's unsubscribe: the contact with this address wants no marketing from now on (audited)",
    body: MarketingConsentChange,
    responses: { 200: MarketingConsent },
  },
  resubscribeContact: {
    method: "POST",
    path: "/api/v1/contacts/resubscribe",
    summary: "Undo an unsubscribe: the contact with this address takes marketing again (audited)",
    body: MarketingConsentChange,
    responses: { 200: MarketingConsent },
  },
} as const satisfies Record<string, RouteContract>;
