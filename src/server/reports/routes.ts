import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { type RouteContract, routes } from "../../shared/routes";
import { type Cell, type Column, type Table, tableOf } from "../export/table-file";
import { type RouteOptions, addRoute } from "../http/route";
import type { Scope } from "../scope";
import { openBalances, openBalancesTable } from "./open-balances";
import {
  activityByRep,
  activityByRepColumns,
  contactsAdded,
  contactsAddedColumns,
  pipelineByStage,
  pipelineByStageTable,
  stageConversion,
  stageConversionColumns,
  wonLostByMonth,
  wonLostByMonthTable,
} from "./service";

type FileRoute<Query extends z.ZodType> = RouteContract & { query: Query; file: "csv" | "xlsx" };

export function reportRoutes(
  app: FastifyInstance,
  options: RouteOptions,
  scope: (caller: Scope["caller"]) => Scope,
  clock: () => Date,
): void {
  /**
   * A report's CSV and XLSX answer from the same service call as its JSON, so a file holds the JSON's figures:
   * its rows, or, for a report with amounts, a line per row and currency.
   */
  function files<Query extends z.ZodType, Result>(
    contracts: FileRoute<Query>[],
    table: (result: Result) => Table,
    run: (scope: Scope, query: z.output<Query>) => Promise<Result>,
  ): void {
    for (const contract of contracts)
      addRoute(app, contract, options, async ({ caller, query }) =>
        table(await run(scope(caller), query as z.output<Query>)),
      );
  }
  const rowsOf =
    <Row extends Record<string, Cell>>(name: string, columns: Column<Row>[]) =>
    (result: { rows: Row[] }) =>
      tableOf(name, columns, result.rows);

  addRoute(app, routes.reportPipelineByStage, options, ({ caller, query }) =>
    pipelineByStage(scope(caller), query),
  );
  files(
    [routes.reportPipelineByStageCsv, routes.reportPipelineByStageXlsx],
    pipelineByStageTable,
    pipelineByStage,
  );

  addRoute(app, routes.reportWonLostByMonth, options, ({ caller, query }) =>
    wonLostByMonth(scope(caller), query),
  );
  files(
    [routes.reportWonLostByMonthCsv, routes.reportWonLostByMonthXlsx],
    wonLostByMonthTable,
    wonLostByMonth,
  );

  addRoute(app, routes.reportStageConversion, options, ({ caller, query }) =>
    stageConversion(scope(caller), query),
  );
  files(
    [routes.reportStageConversionCsv, routes.reportStageConversionXlsx],
    rowsOf("stage-conversion", stageConversionColumns),
    stageConversion,
  );

  addRoute(app, routes.reportActivityByRep, options, ({ caller, query }) =>
    activityByRep(scope(caller), query),
  );
  files(
    [routes.reportActivityByRepCsv, routes.reportActivityByRepXlsx],
    rowsOf("activity-by-rep", activityByRepColumns),
    activityByRep,
  );

  addRoute(app, routes.reportContactsAdded, options, ({ caller, query }) =>
    contactsAdded(scope(caller), query),
  );
  files(
    [routes.reportContactsAddedCsv, routes.reportContactsAddedXlsx],
    rowsOf("contacts-added", contactsAddedColumns),
    contactsAdded,
  );

  // What is overdue depends on today: the reader's, by the query's time zone and the server's clock.
  const openBalancesNow = (s: Scope, query: Parameters<typeof openBalances>[1]) =>
    openBalances(s, query, clock());
  addRoute(app, routes.reportOpenBalances, options, ({ caller, query }) =>
    openBalancesNow(scope(caller), query),
  );
  files([routes.reportOpenBalancesCsv, routes.reportOpenBalancesXlsx], openBalancesTable, openBalancesNow);
}
