/** Today in a time zone: its date, and the instants it starts and ends (the next day's start). */
export interface LocalDay {
  /** YYYY-MM-DD in the time zone. */
  date: string;
  start: Date;
  end: Date;
}

const HOUR = 3_600_000;
// Every UTC offset in use lies within −12 h and +14 h: a day's first instant is within these margins of its
// wall-clock midnight read as UTC, with room to spare.
const MARGIN = 18 * HOUR;

/**
 * Computed with Intl rather than PostgreSQL's `at time zone`: the query's time zone was validated by this same
 * Intl, so every accepted name is one it can compute with, whereas PostgreSQL's own zone database may differ
 * (names it lacks would fail the query). PostgreSQL then only compares instants.
 */
export function localDay(timeZone: string, now: Date): LocalDay {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  const dateAt = (instant: number): string => {
    const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day}`;
  };
  const date = dateAt(now.getTime());
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const tomorrow = new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
  return { date, start: firstInstantOf(date, dateAt), end: firstInstantOf(tomorrow, dateAt) };
}

/** A given date in a time zone: the instants it starts and ends (the next day's start). */
export function dayIn(timeZone: string, date: string): LocalDay {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  const dateAt = (instant: number): string => {
    const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day}`;
  };
  const start = firstInstantOf(date, dateAt);
  const tomorrow = new Date(Date.parse(`${date}T00:00:00Z`) + 24 * HOUR).toISOString().slice(0, 10);
  // The last day of year 9999 has no next date in ISO's four digits: it ends a day after it starts.
  const end = /^\d{4}-/.test(tomorrow)
    ? firstInstantOf(tomorrow, dateAt)
    : new Date(start.getTime() + 24 * HOUR);
  return { date, start, end };
}

/**
 * The first instant whose local date is `date` or later. Not "local midnight": where clocks spring forward at
 * midnight (Chile, Lebanon, Cuba …) the day starts at 01:00 and midnight never happens. A binary search over
 * milliseconds finds it whatever the zone's rules, in about 27 steps.
 */
function firstInstantOf(date: string, dateAt: (instant: number) => string): Date {
  const wallMidnight = Date.parse(`${date}T00:00:00Z`);
  let before = wallMidnight - MARGIN; // its local date is before `date`
  let onOrAfter = wallMidnight + MARGIN; // its local date is `date` or later
  while (onOrAfter - before > 1) {
    const middle = before + Math.floor((onOrAfter - before) / 2);
    if (dateAt(middle) >= date) onOrAfter = middle;
    else before = middle;
  }
  return new Date(onOrAfter);
}
