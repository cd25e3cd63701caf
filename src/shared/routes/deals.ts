import { IdParams } from "../common";
import { DealCreate, DealListQuery, DealUpdate, DealWithStage, MoveDealToStage } from "../deals";
import { type RouteContract, crud } from "./contract";

const deals = crud("/api/v1/deals", "deal", DealWithStage, DealCreate, DealUpdate, DealListQuery);

/** Deals, and moving one to another stage. */
export const dealRoutes = {
  listDeals: deals.list,
  createDeal: deals.create,
  getDeal: deals.get,
  updateDeal: deals.update,
  deleteDeal: deals.remove,
  moveDealToStage: {
    method: "POST",
    path: "/api/v1/deals/:id/stage",
    summary: "Move a deal to a stage, recording the change",
    params: IdParams,
    body: MoveDealToStage,
    responses: { 200: DealWithStage },
  },
} as const satisfies Record<string, RouteContract>;
