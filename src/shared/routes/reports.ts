import {
  ActivityByRep,
  ActivityByRepQuery,
  ContactsAdded,
  ContactsAddedQuery,
  OpenBalances,
  OpenBalancesQuery,
  PipelineByStage,
  PipelineByStageQuery,
  StageConversion,
  StageConversionQuery,
  WonLostByMonth,
  WonLostByMonthQuery,
} from "../reports";
import { type RouteContract, report } from "./contract";

const pipelineByStage = report(
  "pipeline-by-stage",
  "Every stage of a pipeline in order: its deals now, their amount and the amount weighted by the stage's probability",
  PipelineByStageQuery,
  PipelineByStage,
);
const wonLostByMonth = report(
  "won-lost-by-month",
  "Deals won and lost per calendar month (UTC) of their closing: counts and amounts",
  WonLostByMonthQuery,
  WonLostByMonth,
);
const stageConversion = report(
  "stage-conversion",
  "Per stage, from the stage history: deals that entered it, moved on to a later stage or won, and the median time in it",
  StageConversionQuery,
  StageConversion,
);
const activityByRep = report(
  "activity-by-rep",
  "Interactions each rep logged per ISO week (UTC): emails, calls, meetings, notes and visits",
  ActivityByRepQuery,
  ActivityByRep,
);
const contactsAdded = report(
  "contacts-added",
  "Contacts added per ISO week (UTC)",
  ContactsAddedQuery,
  ContactsAdded,
);

const openBalances = report(
  "open-balances",
  "Open balances and overdue amounts of every company with open invoices, by company and owner, per currency",
  OpenBalancesQuery,
  OpenBalances,
);

/** The reports, each as JSON and as CSV and Excel files with the same filters. */
export const reportRoutes = {
  reportPipelineByStage: pipelineByStage.json,
  reportPipelineByStageCsv: pipelineByStage.csv,
  reportPipelineByStageXlsx: pipelineByStage.xlsx,
  reportWonLostByMonth: wonLostByMonth.json,
  reportWonLostByMonthCsv: wonLostByMonth.csv,
  reportWonLostByMonthXlsx: wonLostByMonth.xlsx,
  reportStageConversion: stageConversion.json,
  reportStageConversionCsv: stageConversion.csv,
  reportStageConversionXlsx: stageConversion.xlsx,
  reportActivityByRep: activityByRep.json,
  reportActivityByRepCsv: activityByRep.csv,
  reportActivityByRepXlsx: activityByRep.xlsx,
  reportContactsAdded: contactsAdded.json,
  reportContactsAddedCsv: contactsAdded.csv,
  reportContactsAddedXlsx: contactsAdded.xlsx,
  reportOpenBalances: openBalances.json,
  reportOpenBalancesCsv: openBalances.csv,
  reportOpenBalancesXlsx: openBalances.xlsx,
} as const satisfies Record<string, RouteContract>;
