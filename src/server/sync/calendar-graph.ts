import { z } from "zod";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { TenantTokens } from "./client-credentials";
import { GraphFailure, graphClients, timedGraphCall } from "./graph-client";
import { PAGE_SIZE } from "./mail-graph";

const Person = z.object({
  emailAddress: z.object({ address: z.string().nullish(), name: z.string().nullish() }).nullish(),
});

const GraphDateTime = z.object({ dateTime: z.string().max(40), timeZone: z.string().max(100).nullish() });

/**
 * One entry of a calendarView delta page: an event (a single instance, an occurrence of a series or an exception;
 * calendarView expands series, so each occurrence comes with its own id and iCalUId), or a removal by id alone.
 */
export const GraphEvent = z.looseObject({
  id: z.string().max(1000),
  "@removed": z.object({ reason: z.string().optional() }).optional(),
  iCalUId: z.string().nullish(),
  subject: z.string().nullish(),
  bodyPreview: z.string().nullish(),
  start: GraphDateTime.nullish(),
  end: GraphDateTime.nullish(),
  isAllDay: z.boolean().nullish(),
  isCancelled: z.boolean().nullish(),
  sensitivity: z.string().nullish(),
  type: z.string().nullish(),
  location: z.object({ displayName: z.string().nullish() }).nullish(),
  onlineMeeting: z.object({ joinUrl: z.string().nullish() }).nullish(),
  onlineMeetingUrl: z.string().nullish(),
  organizer: Person.nullish(),
  attendees: z.array(Person.extend({ type: z.string().nullish() })).nullish(),
});
export type GraphEvent = z.infer<typeof GraphEvent>;

export interface CalendarPage {
  /** Entries as Graph sent them; one that does not parse is null (counted, skipped, never fatal). */
  items: (GraphEvent | null)[];
  nextLink: string | null;
  deltaLink: string | null;
}

export type CalendarStart = { link: string } | { window: { start: Date; end: Date } };

export interface CalendarGraph {
  /** One page of the calendarView's delta: from a stored link, or a fresh round over a window. */
  deltaPage(tenantId: string, graphUserId: string, start: CalendarStart): Promise<CalendarPage>;
  /** One event by its id, or null when the calendar no longer has it (deleted, or the meeting cancelled). */
  event(tenantId: string, graphUserId: string, eventId: string): Promise<GraphEvent | null>;
}

const DeltaResponse = z.object({
  value: z.array(z.unknown()),
  "@odata.nextLink": z.string().optional(),
  "@odata.deltaLink": z.string().optional(),
});

/**
 * Microsoft Graph's calendarView delta through the Graph client library, as the mail delta reads (its
 * authentication handler sending the token only to `graphUrl`'s host, its retry handler, a page timeout). Times are
 * asked in UTC (`Prefer: outlook.timezone="UTC"`); an answer in another zone is converted all the same. The app
 * needs the Calendars.Read application permission.
 */
export function createCalendarGraph(options: {
  graphUrl: string;
  tokens: TenantTokens;
  pageSize?: number;
  inlineRetries?: number;
  pageTimeoutMs?: number;
}): CalendarGraph {
  const pageTimeoutMs = options.pageTimeoutMs ?? 120_000;
  const { baseUrl, clientFor } = graphClients({
    graphUrl: options.graphUrl,
    tokens: options.tokens,
    retries: options.inlineRetries ?? 3,
  });
  const linkPrefix = `${baseUrl}v1.0/`;
  const pageSize = options.pageSize ?? PAGE_SIZE;

  function get(request: ReturnType<Client["api"]>): Promise<unknown> {
    const prepared = request.header(
      "Prefer",
      `odata.maxpagesize=${pageSize}, outlook.timezone="UTC", IdType="ImmutableId"`,
    );
    return timedGraphCall(() => prepared.get() as Promise<unknown>, pageTimeoutMs);
  }

  return {
    async deltaPage(tenantId, graphUserId, start) {
      const client = clientFor(tenantId);
      let request;
      if ("link" in start) {
        // Links Graph handed us are followed only on Graph's own host: a stored link never takes our token elsewhere.
        if (!start.link.startsWith(linkPrefix))
          throw new GraphFailure(`A stored delta link points outside ${baseUrl}`, 410, "foreignLink", null);
        request = client.api(start.link.slice(linkPrefix.length));
      } else {
        // calendarView's delta takes no $select or $filter: the window is all it is asked, and the link keeps it.
        request = client.api(`/users/${encodeURIComponent(graphUserId)}/calendarView/delta`).query({
          startDateTime: start.window.start.toISOString(),
          endDateTime: start.window.end.toISOString(),
        });
      }
      const page = DeltaResponse.parse(await get(request));
      return {
        items: page.value.map((item) => {
          const parsed = GraphEvent.safeParse(item);
          return parsed.success ? parsed.data : null;
        }),
        nextLink: page["@odata.nextLink"] ?? null,
        deltaLink: page["@odata.deltaLink"] ?? null,
      };
    },
    async event(tenantId, graphUserId, eventId) {
      try {
        const body = await get(
          clientFor(tenantId).api(
            `/users/${encodeURIComponent(graphUserId)}/events/${encodeURIComponent(eventId)}`,
          ),
        );
        const parsed = GraphEvent.safeParse(body);
        return parsed.success ? parsed.data : null;
      } catch (error) {
        if (error instanceof GraphFailure && error.status === 404) return null;
        throw error;
      }
    },
  };
}

/**
 * Windows' time zone names, which Exchange may use for an event's zone, for the zones most teams meet in. Times
 * are asked in UTC, so these are for an answer that ignored the preference; an unknown name makes the event
 * unreadable (skipped and counted), never a wrong time.
 */
const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  utc: "UTC",
  "coordinated universal time": "UTC",
  "gmt standard time": "Europe/London",
  "greenwich standard time": "Atlantic/Reykjavik",
  "w. europe standard time": "Europe/Berlin",
  "central europe standard time": "Europe/Budapest",
  "central european standard time": "Europe/Warsaw",
  "romance standard time": "Europe/Paris",
  "e. europe standard time": "Europe/Chisinau",
  "fle standard time": "Europe/Kiev",
  "gtb standard time": "Europe/Bucharest",
  "russian standard time": "Europe/Moscow",
  "eastern standard time": "America/New_York",
  "central standard time": "America/Chicago",
  "mountain standard time": "America/Denver",
  "pacific standard time": "America/Los_Angeles",
  "india standard time": "Asia/Kolkata",
  "china standard time": "Asia/Shanghai",
  "tokyo standard time": "Asia/Tokyo",
  "aus eastern standard time": "Australia/Sydney",
  "new zealand standard time": "Pacific/Auckland",
};

function ianaZone(name: string): string | null {
  const zone = WINDOWS_ZONES[name.trim().toLowerCase()] ?? name.trim();
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(zone: string, instant: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

// Graph writes a wall-clock time without an offset and up to seven decimals: 2026-12-08T09:00:00.0000000.
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/**
 * The instant a Graph dateTimeTimeZone names: its wall-clock time in its zone (UTC, an IANA name or a Windows
 * name). A time in a zone's skipped or repeated hour (the clocks' change) takes the earlier reading. Null when
 * the time or the zone cannot be read.
 */
export function instantOf(value: { dateTime: string; timeZone?: string | null }): Date | null {
  const match = WALL_TIME.exec(value.dateTime.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction] = match;
  const wall = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    Number((fraction ?? "0").padEnd(3, "0").slice(0, 3)),
  );
  if (Number.isNaN(wall)) return null;
  const zone = ianaZone(value.timeZone ?? "UTC");
  if (zone === null) return null;
  if (zone === "UTC" || zone === "Etc/UTC") return new Date(wall);
  // The offset at the wall time read as UTC is right but near a change; asked again at the instant it gives, it
  // settles (twice is enough: offsets change at most once within a day).
  const first = wall - offsetAt(zone, wall);
  const second = wall - offsetAt(zone, first);
  return new Date(Math.min(first, second));
}
