/**
 * An instant (ISO with its offset, as the server keeps a task's due time) and the text of a date-and-time input
 * (`2026-11-20T15:00`), which has no zone: it is read and written in the user's time zone. The zone is named
 * rather than taken from `Date`'s local methods so the page and the server's "today" agree on one zone.
 */

const LOCAL_TEXT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's wall clock at an instant, as numbers. */
function wallClockParts(instant: number, timeZone: string) {
  const parts = Object.fromEntries(
    wallClock(timeZone)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<"year" | "month" | "day" | "hour" | "minute" | "second", number>;
  return parts;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const p = wallClockParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** An instant as a date-and-time input shows it in the zone: `2026-11-20T16:00` for 15:00 UTC in Stockholm. */
export function localDateTimeText(iso: string, timeZone: string): string {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return "";
  const p = wallClockParts(instant, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * A date-and-time input's text, read in the zone, as an ISO instant (UTC); null when it is not one. A time the
 * clocks skip (a spring-forward gap) is read with the offset before the change, as browsers do.
 */
export function isoFromLocalDateTime(text: string, timeZone: string): string | null {
  const match = LOCAL_TEXT.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  // Date.UTC rolls 31 February over into March; the input's text must name a real day and time.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59
  )
    return null;
  // The offset at the guess, then at the answer: the two differ only around a change of the clocks.
  const first = asUtc - offsetAt(asUtc, timeZone);
  const instant = asUtc - offsetAt(first, timeZone);
  return new Date(instant).toISOString();
}
