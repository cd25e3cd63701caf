import { z } from "zod";
import { Id, IsoDate, IsoDateTime, ListQuery, Version } from "./common";
import { CurrencyCode } from "./currencies";
import { CustomFieldValues, CustomFields } from "./custom-fields";
import { Stage, StageKind } from "./pipelines";

export const Deal = z.object({
  id: Id,
  name: z.string(),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  expectedCloseDate: IsoDate.nullable(),
  companyId: Id.nullable(),
  contactIds: z.array(Id),
  ownerId: Id.nullable(),
  pipelineId: Id,
  stageId: Id,
  /** Follows the stage's kind: a deal in a won or lost stage is closed. */
  status: StageKind,
  closedAt: IsoDateTime.nullable(),
  customFields: CustomFieldValues,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: Version,
});
export type Deal = z.infer<typeof Deal>;

export const DealWithStage = Deal.extend({ stage: Stage });
export type DealWithStage = z.infer<typeof DealWithStage>;

/** The store keeps 13 digits before the point (numeric(17, 4)): 1e13 itself would overflow it (a 400 naming no field). */
const Amount = z.number().finite().min(0).lt(1e13, "at most 13 digits before the point");
const dealFields = {
  name: z.string().trim().min(1).max(200),
  amount: Amount.nullable().optional(),
  /** An ISO 4217 code, as every currency Rapport takes: a made-up one would be a report line no rate can convert. */
  currency: CurrencyCode.nullable().optional(),
  expectedCloseDate: IsoDate.nullable().optional(),
  companyId: Id.nullable().optional(),
  contactIds: z.array(Id).max(100).optional(),
  ownerId: Id.nullable().optional(),
  /** Checked against the organisation's deal field definitions; an update replaces them all. */
  customFields: CustomFields.optional(),
};

export const DealCreate = z.strictObject({
  ...dealFields,
  /** Defaults to the first open stage of the default pipeline. */
  stageId: Id.optional(),
  /**
   * Admins only, for a move from another CRM and for sample data: when the deal was opened, in the past (its
   * history's first entry). Left out, it is now. The audit trail keeps the real time of the request.
   */
  openedAt: IsoDateTime.optional(),
});
export type DealCreate = z.infer<typeof DealCreate>;

/** The stage is not here: stage moves go through `POST /deals/:id/stage`, which keeps the history. */
export const DealUpdate = z.strictObject({
  ...dealFields,
  name: dealFields.name.optional(),
  version: Version.optional(),
});
export type DealUpdate = z.infer<typeof DealUpdate>;

export const MoveDealToStage = z.strictObject({
  stageId: Id,
  version: Version,
  /** Where the move was made (pane, web, import …), kept in the stage history. */
  source: z.string().trim().min(1).max(50).optional(),
  /**
   * Admins only, as `openedAt` of a new deal: when the move happened, in the past and not before the deal's
   * previous move, so the history stays in order.
   */
  movedAt: IsoDateTime.optional(),
});
export type MoveDealToStage = z.infer<typeof MoveDealToStage>;

export const StageChange = z.object({
  id: Id,
  dealId: Id,
  dealName: z.string(),
  fromStage: z.object({ id: Id, name: z.string() }).nullable(),
  toStage: z.object({ id: Id, name: z.string() }),
  changedBy: Id.nullable(),
  changedAt: IsoDateTime,
  source: z.string(),
});
export type StageChange = z.infer<typeof StageChange>;

/** The deal list's filters (the export takes the same, without paging): all of them must match. */
export const DealListQuery = ListQuery.extend({
  pipelineId: Id.optional(),
  stageId: Id.optional(),
  ownerId: Id.optional(),
  /** By the kind of the deal's stage: open, won or lost. */
  status: StageKind.optional(),
});
export type DealListQuery = z.infer<typeof DealListQuery>;
