import { ArrowImportRegular } from "@fluentui/react-icons/svg/arrow-import";
import { BuildingRegular } from "@fluentui/react-icons/svg/building";
import { CalendarTodayRegular } from "@fluentui/react-icons/svg/calendar-today";
import { PeopleSwapRegular } from "@fluentui/react-icons/svg/people-swap";
import { DataBarVerticalRegular } from "@fluentui/react-icons/svg/data-bar-vertical";
import type { FluentIcon } from "@fluentui/react-icons";
import { HandshakeRegular } from "@fluentui/react-icons/svg/handshake";
import { MailTemplateRegular } from "@fluentui/react-icons/svg/mail-template";
import { PeopleRegular } from "@fluentui/react-icons/svg/people";
import { PeopleAudienceRegular } from "@fluentui/react-icons/svg/people-audience";
import { PersonCircleRegular } from "@fluentui/react-icons/svg/person-circle";
import { PersonStarRegular } from "@fluentui/react-icons/svg/person-star";
import { SettingsRegular } from "@fluentui/react-icons/svg/settings";
import { TaskListLtrRegular } from "@fluentui/react-icons/svg/task-list-ltr";
import { type ComponentType, type LazyExoticComponent, lazy } from "react";
import type { ShellWord } from "./components/shell-messages";
import { COMPANIES_PATH, CONTACTS_PATH, DEALS_PATH, SEGMENTS_PATH, TASKS_PATH } from "./pages/paths";
import { LEADS_PATH } from "./pages/web-forms/paths";

export interface PageProps {
  /** What follows the page's own path (for the reports: which report; for a list: which record). */
  subpath: string;
}

export interface PageEntry {
  /** Where it lives, under /app. */
  path: string;
  /** Its name in the navigation and the window's title, from the shell's words in each language. */
  name: ShellWord;
  icon: FluentIcon;
  /** Whether paths under it are its own (/app/reports/<report>). */
  subpages?: boolean;
  /** Other paths that show it: the words the navigation uses for it, typed into the address bar. */
  aliases?: readonly string[];
  /** Each page is a chunk of its own, fetched the first time it is opened. */
  component: LazyExoticComponent<ComponentType<PageProps>>;
}

/** The web app's pages, in the navigation's order: a new page is one more entry here. */
export const pages: readonly PageEntry[] = [
  {
    path: "/app",
    name: "today",
    aliases: ["/app/today"],
    icon: CalendarTodayRegular,
    component: lazy(() => import(/* webpackChunkName: "webapp-today" */ "./pages/TodayPage")),
  },
  {
    path: CONTACTS_PATH,
    name: "contacts",
    icon: PeopleRegular,
    subpages: true,
    component: lazy(() => import(/* webpackChunkName: "webapp-contacts" */ "./pages/contacts/ContactsPage")),
  },
  {
    path: COMPANIES_PATH,
    name: "companies",
    icon: BuildingRegular,
    subpages: true,
    component: lazy(
      () => import(/* webpackChunkName: "webapp-companies" */ "./pages/companies/CompaniesPage"),
    ),
  },
  {
    // What the website's forms brought in; one form's at /app/leads/<form id>.
    path: LEADS_PATH,
    name: "leads",
    icon: PersonStarRegular,
    subpages: true,
    component: lazy(() => import(/* webpackChunkName: "webapp-leads" */ "./pages/web-forms/LeadsPage")),
  },
  {
    path: DEALS_PATH,
    name: "deals",
    icon: HandshakeRegular,
    subpages: true,
    component: lazy(() => import(/* webpackChunkName: "webapp-deals" */ "./pages/deals/DealsPage")),
  },
  {
    path: TASKS_PATH,
    name: "tasks",
    icon: TaskListLtrRegular,
    subpages: true,
    component: lazy(() => import(/* webpackChunkName: "webapp-tasks" */ "./pages/tasks/TasksPage")),
  },
  {
    // Likely duplicate contacts and companies to merge or dismiss; the companies' at /app/duplicates/companies.
    path: "/app/duplicates",
    name: "duplicates",
    icon: PeopleSwapRegular,
    subpages: true,
    component: lazy(
      () => import(/* webpackChunkName: "webapp-duplicates" */ "./pages/duplicates/DuplicatesPage"),
    ),
  },
  {
    path: SEGMENTS_PATH,
    name: "segments",
    icon: PeopleAudienceRegular,
    subpages: true,
    component: lazy(() => import(/* webpackChunkName: "webapp-segments" */ "./pages/segments/SegmentsPage")),
  },
  {
    path: "/app/reports",
    name: "reports",
    icon: DataBarVerticalRegular,
    subpages: true,
    component: lazy(() => import(/* webpackChunkName: "webapp-reports" */ "./pages/reports/ReportsPage")),
  },
  {
    path: "/app/templates",
    name: "templates",
    icon: MailTemplateRegular,
    component: lazy(
      () => import(/* webpackChunkName: "webapp-templates" */ "./pages/templates/TemplatesPage"),
    ),
  },
  {
    path: "/app/import",
    name: "importExport",
    icon: ArrowImportRegular,
    component: lazy(() => import(/* webpackChunkName: "webapp-import" */ "./pages/import/ImportPage")),
  },
  {
    path: "/app/settings",
    name: "settings",
    icon: SettingsRegular,
    component: lazy(() => import(/* webpackChunkName: "webapp-settings" */ "./pages/settings/SettingsPage")),
  },
  {
    path: "/app/account",
    name: "account",
    icon: PersonCircleRegular,
    component: lazy(() => import(/* webpackChunkName: "webapp-account" */ "./pages/account/AccountPage")),
  },
];

/** The page a path belongs to, and the rest of the path; none for a path no page has. */
export function pageFor(pathname: string): { page: PageEntry; subpath: string } | null {
  const path = pathname.replace(/\/+$/, "") || "/";
  const alias = pages.find((p) => p.aliases?.includes(path));
  if (alias) return { page: alias, subpath: "" };
  const page = pages.find((p) => path === p.path || (p.subpages && path.startsWith(`${p.path}/`)));
  return page ? { page, subpath: path.slice(page.path.length).replace(/^\//, "") } : null;
}
