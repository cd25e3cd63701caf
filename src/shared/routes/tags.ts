import { TagDeleted, TagList, TagParams, TagRename, TagUsage } from "../tags";
import type { RouteContract } from "./contract";

/** The tags contacts carry: everyone reads them, admins rename and remove them. */
export const tagRoutes = {
  listTags: {
    method: "GET",
    path: "/api/v1/tags",
    summary: "The tags contacts carry, each with how many contacts carry it",
    responses: { 200: TagList },
  },
  renameTag: {
    method: "PATCH",
    path: "/api/v1/tags/:tag",
    summary: "Rename a tag on every contact (admins only)",
    params: TagParams,
    body: TagRename,
    responses: { 200: TagUsage },
  },
  deleteTag: {
    method: "DELETE",
    path: "/api/v1/tags/:tag",
    summary: "Take a tag off every contact (admins only)",
    params: TagParams,
    responses: { 200: TagDeleted },
  },
} as const satisfies Record<string, RouteContract>;
