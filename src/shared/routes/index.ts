import type { RouteContract } from "./contract";
import { systemRoutes } from "./system";
import { organizationRoutes } from "./organizations";
import { syncRoutes } from "./sync";
import { peopleRoutes } from "./people";
import { interactionRoutes } from "./interactions";
import { contactRoutes } from "./contacts";
import { companyRoutes } from "./companies";
import { dealRoutes } from "./deals";
import { taskRoutes } from "./tasks";
import { personDataRoutes } from "./person-data";
import { listExportRoutes } from "./list-exports";
import { dashboardRoutes } from "./dashboard";
import { pipelineRoutes } from "./pipelines";
import { customFieldRoutes } from "./custom-fields";
import { tagRoutes } from "./tags";
import { userRoutes } from "./users";
import { currencyRoutes } from "./currencies";
import { reportRoutes } from "./reports";
import { importRoutes } from "./imports";
import { invoiceRoutes } from "./invoices";
import { templateRoutes } from "./templates";
import { webFormRoutes } from "./web-forms";
import { accountRoutes } from "./accounts";
import { occasionRoutes } from "./occasions";
import { productRoutes } from "./products";
import { webhookRoutes } from "./webhooks";
import { quoteRoutes } from "./quotes";
import { segmentRoutes } from "./segments";
import { ratingRoutes } from "./ratings";
import { meetingRoutes } from "./meetings";
import { duplicateRoutes } from "./duplicates";

export {
  FILE_MEDIA_TYPES,
  type FileFormat,
  PROGRESS_MEDIA_TYPE,
  type RouteContract,
  type TableFormat,
} from "./contract";
export { Me } from "./organizations";
export { Health, SignInConfig } from "./system";

/**
 * Each feature's own table, by feature: a new feature adds its file here and to `routes` below (the route-table
 * test checks that every one is in it, and that no two features take the same name or method and path).
 */
export const featureRoutes = {
  system: systemRoutes,
  organizations: organizationRoutes,
  sync: syncRoutes,
  people: peopleRoutes,
  interactions: interactionRoutes,
  contacts: contactRoutes,
  companies: companyRoutes,
  deals: dealRoutes,
  tasks: taskRoutes,
  personData: personDataRoutes,
  listExports: listExportRoutes,
  dashboard: dashboardRoutes,
  pipelines: pipelineRoutes,
  customFields: customFieldRoutes,
  tags: tagRoutes,
  users: userRoutes,
  currencies: currencyRoutes,
  reports: reportRoutes,
  imports: importRoutes,
  invoices: invoiceRoutes,
  templates: templateRoutes,
  webForms: webFormRoutes,
  accounts: accountRoutes,
  occasions: occasionRoutes,
  products: productRoutes,
  webhooks: webhookRoutes,
  quotes: quoteRoutes,
  segments: segmentRoutes,
  ratings: ratingRoutes,
  meetings: meetingRoutes,
  duplicates: duplicateRoutes,
} as const satisfies Record<string, Record<string, RouteContract>>;

/** The API, once: the server registers and validates from it, OpenAPI is generated from it, the add-in calls it. */
export const routes = {
  ...systemRoutes,
  ...organizationRoutes,
  ...syncRoutes,
  ...peopleRoutes,
  ...interactionRoutes,
  ...contactRoutes,
  ...companyRoutes,
  ...dealRoutes,
  ...taskRoutes,
  ...personDataRoutes,
  ...listExportRoutes,
  ...dashboardRoutes,
  ...pipelineRoutes,
  ...customFieldRoutes,
  ...tagRoutes,
  ...userRoutes,
  ...currencyRoutes,
  ...reportRoutes,
  ...importRoutes,
  ...invoiceRoutes,
  ...templateRoutes,
  ...webFormRoutes,
  ...accountRoutes,
  ...occasionRoutes,
  ...productRoutes,
  ...webhookRoutes,
  ...quoteRoutes,
  ...segmentRoutes,
  ...ratingRoutes,
  ...meetingRoutes,
  ...duplicateRoutes,
} as const satisfies Record<string, RouteContract>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
