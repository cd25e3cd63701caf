import { Company, CompanyCreate, CompanyListQuery, CompanyUpdate } from "../companies";
import { type RouteContract, crud } from "./contract";

const companies = crud(
  "/api/v1/companies",
  "company",
  Company,
  CompanyCreate,
  CompanyUpdate,
  CompanyListQuery,
);

/** Companies. */
export const companyRoutes = {
  listCompanies: companies.list,
  createCompany: companies.create,
  getCompany: companies.get,
  updateCompany: companies.update,
  deleteCompany: companies.remove,
} as const satisfies Record<string, RouteContract>;
