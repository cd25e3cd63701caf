import { IdParams, Page } from "../common";
import {
  DealLines,
  DealLinesReplace,
  Product,
  ProductCreate,
  ProductImportRequest,
  ProductImportResult,
  ProductListQuery,
  ProductUpdate,
} from "../products";
import type { RouteContract } from "./contract";

/** The product catalogue (admins manage it, everyone reads it) and a deal's line items. */
export const productRoutes = {
  listProducts: {
    method: "GET",
    path: "/api/v1/products",
    summary: "List products by name (search name and code with q, narrow with active, page with cursor)",
    query: ProductListQuery,
    responses: { 200: Page(Product) },
  },
  createProduct: {
    method: "POST",
    path: "/api/v1/products",
    summary: "Create a product (admins); its code is unique in the organisation (409 product_code_taken)",
    body: ProductCreate,
    responses: { 201: Product },
  },
  getProduct: {
    method: "GET",
    path: "/api/v1/products/:id",
    summary: "Read a product",
    params: IdParams,
    responses: { 200: Product },
  },
  updateProduct: {
    method: "PATCH",
    path: "/api/v1/products/:id",
    summary:
      "Update a product (admins); prices, when sent, replace them all; active: false deactivates it (stale " +
      "version: 409 with the current record)",
    versioned: true,
    params: IdParams,
    body: ProductUpdate,
    responses: { 200: Product },
  },
  importProducts: {
    method: "POST",
    path: "/api/v1/products/import",
    summary:
      "Import a price list from CSV or Excel (admins): a known code updates its product, a new one creates it; " +
      "all rows or none (422 import_rows_invalid naming each line); dryRun counts without storing",
    body: ProductImportRequest,
    responses: { 200: ProductImportResult },
    bodyLimit: 17 * 1024 * 1024,
  },
  getDealLines: {
    method: "GET",
    path: "/api/v1/deals/:id/lines",
    summary: "A deal's line items with their totals before tax, the tax per rate and the total",
    params: IdParams,
    responses: { 200: DealLines },
  },
  replaceDealLines: {
    method: "PUT",
    path: "/api/v1/deals/:id/lines",
    summary:
      "Replace a deal's line items, all or none, in its currency; its amount becomes their sum before tax in " +
      "the same transaction (stale version: 409)",
    versioned: true,
    params: IdParams,
    body: DealLinesReplace,
    responses: { 200: DealLines },
  },
} as const satisfies Record<string, RouteContract>;
