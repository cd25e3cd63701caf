import { IdParams } from "../common";
import {
  MoveDealsQuery,
  Pipeline,
  PipelineCreate,
  PipelineDeleted,
  PipelineList,
  PipelineOrder,
  PipelineUpdate,
  StageAdd,
  StageDeleted,
  StageOrder,
  StageParams,
  StageUpdate,
} from "../pipelines";
import type { RouteContract } from "./contract";

/** Pipelines and their stages: everyone reads them, admins change them (403 forbidden for a member). */
export const pipelineRoutes = {
  listPipelines: {
    method: "GET",
    path: "/api/v1/pipelines",
    summary: "Pipelines with their stages",
    responses: { 200: PipelineList },
  },
  getPipeline: {
    method: "GET",
    path: "/api/v1/pipelines/:id",
    summary: "A pipeline with its stages",
    params: IdParams,
    responses: { 200: Pipeline },
  },
  createPipeline: {
    method: "POST",
    path: "/api/v1/pipelines",
    summary: "Create a pipeline, with its stages or the default ones (admins only)",
    body: PipelineCreate,
    responses: { 201: Pipeline },
  },
  updatePipeline: {
    method: "PATCH",
    path: "/api/v1/pipelines/:id",
    summary: "Rename a pipeline or make it the default (admins only; stale version: 409)",
    versioned: true,
    params: IdParams,
    body: PipelineUpdate,
    responses: { 200: Pipeline },
  },
  reorderPipelines: {
    method: "POST",
    path: "/api/v1/pipelines/order",
    summary: "Put the pipelines in a new order: every pipeline, each once (admins only)",
    body: PipelineOrder,
    responses: { 200: PipelineList },
  },
  deletePipeline: {
    method: "DELETE",
    path: "/api/v1/pipelines/:id",
    summary:
      "Remove a pipeline (not the default); one with deals needs moveDealsTo, a stage of another pipeline (admins only)",
    params: IdParams,
    query: MoveDealsQuery,
    responses: { 200: PipelineDeleted },
  },
  addStage: {
    method: "POST",
    path: "/api/v1/pipelines/:id/stages",
    summary: "Add a stage to a pipeline (admins only; the pipeline's version)",
    versioned: true,
    params: IdParams,
    body: StageAdd,
    responses: { 201: Pipeline },
  },
  reorderStages: {
    method: "POST",
    path: "/api/v1/pipelines/:id/stages/order",
    summary:
      "Put a pipeline's stages in a new order: every stage, each once (admins only; the pipeline's version)",
    versioned: true,
    params: IdParams,
    body: StageOrder,
    responses: { 200: Pipeline },
  },
  updateStage: {
    method: "PATCH",
    path: "/api/v1/pipelines/:id/stages/:stageId",
    summary: "Rename a stage, set its probability or kind (admins only; the pipeline's version)",
    versioned: true,
    params: StageParams,
    body: StageUpdate,
    responses: { 200: Pipeline },
  },
  deleteStage: {
    method: "DELETE",
    path: "/api/v1/pipelines/:id/stages/:stageId",
    summary:
      "Remove a stage; one with deals needs moveDealsTo, a stage of the same pipeline, and the moves are recorded (admins only)",
    params: StageParams,
    query: MoveDealsQuery,
    responses: { 200: StageDeleted },
  },
} as const satisfies Record<string, RouteContract>;
