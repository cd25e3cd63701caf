/** Where the record lists live under /app; a record is at `<list>/<id>`. */
export const CONTACTS_PATH = "/app/contacts";
export const COMPANIES_PATH = "/app/companies";
export const DEALS_PATH = "/app/deals";
export const TASKS_PATH = "/app/tasks";
/** A segment is at `<segments>/<id>`. */
export const SEGMENTS_PATH = "/app/segments";
/** A list's new record's form is at `<list>/new` (never a record's id, which is a UUID). */
export const NEW = "new";
