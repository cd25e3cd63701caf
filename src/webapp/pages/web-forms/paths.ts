/** The leads page; one form's leads are at `<leads>/<form id>`. */
export const LEADS_PATH = "/app/leads";
