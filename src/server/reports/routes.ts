import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { type RouteContract, routes } from "../../shared/routes";
import { type Cell, type Column, tableOf } from "../export/table-file";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import {
  activityByRep,
  activityByRepColumns,
  contactsAdded,
  contactsAddedColumns,
  pipelineByStage,
  pipelineByStageColumns,
  stageConversion,
  stageConversionColumns,
  wonLostByMonth,
  wonLostByMonthColumns,
} from "./service";

type FileRoute<Query extends z.ZodType> = RouteContract & { query: Query; file: "csv" | "xlsx" };

export function reportRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
): void {
  /** A report's CSV and XLSX answer from the same service call as its JSON, so a file holds the JSON's rows. */
  function files<Query extends z.ZodType, Row extends Record<string, Cell>>(
    contracts: FileRoute<Query>[],
    name: string,
    columns: Column<Row>[],
    run: (scope: Scope, query: z.output<Query>) => Promise<{ rows: Row[] }>,
  ): void {
    for (const contract of contracts)
      addRoute(app, contract, options, async ({ caller, query }) =>
        tableOf(name, columns, (await run(scope(caller), query as z.output<Query>)).rows),
      );
  }

  addRoute(app, routes.reportPipelineByStage, options, ({ caller, query }) =>
    pipelineByStage(scope(caller), query),
  );
  files(
    [routes.reportPipelineByStageCsv, routes.reportPipelineByStageXlsx],
    "pipeline-by-stage",
    pipelineByStageColumns,
    pipelineByStage,
  );

  addRoute(app, routes.reportWonLostByMonth, options, ({ caller, query }) =>
    wonLostByMonth(scope(caller), query),
  );
  files(
    [routes.reportWonLostByMonthCsv, routes.reportWonLostByMonthXlsx],
    "won-lost-by-month",
    wonLostByMonthColumns,
    wonLostByMonth,
  );

  addRoute(app, routes.reportStageConversion, options, ({ caller, query }) =>
    stageConversion(scope(caller), query),
  );
  files(
    [routes.reportStageConversionCsv, routes.reportStageConversionXlsx],
    "stage-conversion",
    stageConversionColumns,
    stageConversion,
  );

  addRoute(app, routes.reportActivityByRep, options, ({ caller, query }) =>
    activityByRep(scope(caller), query),
  );
  files(
    [routes.reportActivityByRepCsv, routes.reportActivityByRepXlsx],
    "activity-by-rep",
    activityByRepColumns,
    activityByRep,
  );

  addRoute(app, routes.reportContactsAdded, options, ({ caller, query }) =>
    contactsAdded(scope(caller), query),
  );
  files(
    [routes.reportContactsAddedCsv, routes.reportContactsAddedXlsx],
    "contacts-added",
    contactsAddedColumns,
    contactsAdded,
  );
}
