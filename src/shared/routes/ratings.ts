import { IdParams } from "../common";
import { RatingLink, RatingLinkCreate, RatingSummary, RatingsReport, RatingsReportQuery } from "../ratings";
import { type RouteContract, report } from "./contract";

const ratingsReport = report(
  "ratings",
  "Customer ratings per calendar month (UTC) of the answer and per owner: NPS (promoters% − detractors%) and CSAT (mean, share satisfied)",
  RatingsReportQuery,
  RatingsReport,
);

/**
 * Customer ratings: a signed survey link for a contact (its public answer page is /s/<token>, outside the API),
 * a contact's and a company's scores, and the report.
 */
export const ratingRoutes = {
  createRatingLink: {
    method: "POST",
    path: "/api/v1/contacts/:id/rating-links",
    summary:
      "A signed NPS or CSAT survey link for the contact, good for 30 days, in the contact's language (else the caller's)",
    params: IdParams,
    body: RatingLinkCreate,
    responses: { 200: RatingLink },
  },
  contactRatings: {
    method: "GET",
    path: "/api/v1/contacts/:id/ratings",
    summary: "The contact's latest NPS and CSAT scores, the one before each, and the latest answers",
    params: IdParams,
    responses: { 200: RatingSummary },
  },
  companyRatings: {
    method: "GET",
    path: "/api/v1/companies/:id/ratings",
    summary:
      "The latest NPS and CSAT scores of the company's contacts, the one before each, and the latest answers",
    params: IdParams,
    responses: { 200: RatingSummary },
  },
  reportRatings: ratingsReport.json,
  reportRatingsCsv: ratingsReport.csv,
  reportRatingsXlsx: ratingsReport.xlsx,
} as const satisfies Record<string, RouteContract>;
