import { randomBytes } from "node:crypto";
import type http from "node:http";

/**
 * The calendar side of the local Graph server (graph-server.ts hands it its requests): a user's calendar, read
 * through `GET /v1.0/users/{id}/calendarView/delta?startDateTime=&endDateTime=` as Graph's calendarView delta is
 * (the window kept in the links, pages of `odata.maxpagesize`, `@odata.nextLink` with `$skiptoken`,
 * `@odata.deltaLink` with `$deltatoken`, `@removed` for an event deleted or moved out of the window, times in the
 * zone `Prefer: outlook.timezone` asks, else UTC, written as Graph writes them: wall-clock, seven decimals, no
 * offset), and one event by id (`GET /v1.0/users/{id}/events/{id}`, 404 once deleted). Recurring series are
 * expanded as calendarView expands them: each occurrence an event of its own, with its own id and iCalUId.
 */

export interface TestAttendee {
  address: string;
  name?: string;
  /** required (the default), optional, or resource (a room). */
  type?: "required" | "optional" | "resource";
}

/** A wall-clock time in a zone, as Graph's dateTimeTimeZone: an IANA or a Windows zone name. */
export interface TestDateTime {
  dateTime: string;
  timeZone: string;
}

export interface TestEvent {
  iCalUId?: string;
  subject?: string;
  bodyPreview?: string;
  start: TestDateTime;
  end: TestDateTime;
  organizer: TestAttendee;
  attendees?: TestAttendee[];
  location?: string;
  joinUrl?: string;
  sensitivity?: "normal" | "personal" | "private" | "confidential";
  isCancelled?: boolean;
  type?: "singleInstance" | "occurrence" | "exception";
  seriesMasterId?: string;
}

interface StoredEvent {
  id: string;
  tenant: string;
  user: string;
  event: TestEvent;
  changedSeq: number;
  createdSeq: number;
  removedSeq: number | null;
}

interface Window {
  tenant: string;
  user: string;
  start: number;
  end: number;
}
interface Cursor extends Window {
  fromSeq: number;
  toSeq: number;
  offset: number;
}
interface DeltaToken extends Window {
  seq: number;
  issued: number;
}

export interface CalendarRequest {
  user: string;
  kind: "initial" | "next" | "delta" | "event";
  status: number;
  items: number;
  /** The Prefer header's outlook.timezone, if any. */
  timeZone: string | null;
}

const WINDOWS_ZONES: Record<string, string> = {
  "W. Europe Standard Time": "Europe/Berlin",
  "Pacific Standard Time": "America/Los_Angeles",
  "Tokyo Standard Time": "Asia/Tokyo",
  UTC: "UTC",
};
const iana = (zone: string) => WINDOWS_ZONES[zone] ?? zone;

/** A wall-clock time in a zone, read with Intl: year, month, day, hour, minute, second. */
function wallIn(zone: string, instant: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: iana(zone),
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
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The instant a wall-clock time in a zone is: every quarter-hour offset tried, the first that reads back wins. */
export function instantIn(time: TestDateTime): number {
  const wall = time.dateTime.slice(0, 19);
  const asUtc = Date.parse(`${wall}Z`);
  for (let quarter = -14 * 4; quarter <= 14 * 4; quarter++) {
    const candidate = asUtc - quarter * 15 * 60_000;
    if (wallIn(time.timeZone, candidate) === wall) return candidate;
  }
  throw new Error(`${wall} does not exist in ${time.timeZone}`);
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const decode = <T>(value: string): T => JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as T;

export class GraphCalendar {
  readonly requests: CalendarRequest[] = [];
  /** Faults to answer the next calendar requests with, first first. */
  readonly faults: { status: 403 | 429 | 503; retryAfter?: number }[] = [];
  private readonly events: StoredEvent[] = [];
  private seq = 0;
  private expiredBefore = 0;

  private key(tenant: string, user: string) {
    return `${tenant.toLowerCase()}|${user.toLowerCase()}`;
  }

  /** Puts an event in a user's calendar; returns its (immutable) id. */
  add(tenant: string, user: string, event: TestEvent): string {
    const seq = ++this.seq;
    const id = `AAMkEv${randomBytes(12).toString("base64url")}`;
    this.events.push({ id, tenant, user, event, createdSeq: seq, changedSeq: seq, removedSeq: null });
    return id;
  }

  /**
   * A recurring series as calendarView shows it: one occurrence every `everyDays` days from `first`, each with its
   * own id and iCalUId and the series' master id. Returns the occurrences' ids.
   */
  addSeries(tenant: string, user: string, first: TestEvent, count: number, everyDays: number): string[] {
    const masterId = `AAMkMaster${randomBytes(8).toString("base64url")}`;
    const uid = first.iCalUId ?? `series-${randomBytes(8).toString("hex")}`;
    const shift = (t: TestDateTime, days: number): TestDateTime => {
      const date = new Date(Date.parse(`${t.dateTime.slice(0, 10)}T00:00:00Z`) + days * 86_400_000);
      return { ...t, dateTime: `${date.toISOString().slice(0, 10)}${t.dateTime.slice(10)}` };
    };
    return Array.from({ length: count }, (_, i) =>
      this.add(tenant, user, {
        ...first,
        type: "occurrence",
        seriesMasterId: masterId,
        iCalUId: `${uid}-${i}`,
        start: shift(first.start, i * everyDays),
        end: shift(first.end, i * everyDays),
      }),
    );
  }

  private stored(id: string): StoredEvent {
    const found = this.events.find((e) => e.id === id);
    if (!found) throw new Error(`no event ${id}`);
    return found;
  }

  /** Changes an event (moved, renamed, cancelled): the next delta carries it whole. */
  change(id: string, patch: Partial<TestEvent>): void {
    const stored = this.stored(id);
    stored.event = { ...stored.event, ...patch };
    stored.changedSeq = ++this.seq;
  }

  /** Deletes an event: the next delta says `@removed`, and reading it answers 404. */
  remove(id: string): void {
    const stored = this.stored(id);
    stored.removedSeq = ++this.seq;
    stored.changedSeq = stored.removedSeq;
  }

  /** Every delta token issued until now answers 410 from now on. */
  expireDeltaTokens(): void {
    this.expiredBefore = Date.now() + 1;
  }

  private inWindow(stored: StoredEvent, window: Window): boolean {
    const start = instantIn(stored.event.start);
    const end = instantIn(stored.event.end);
    return start < window.end && end > window.start;
  }

  /** Answers a calendar request the server routed here; false when the path is not the calendar's. */
  async handle(
    req: http.IncomingMessage,
    url: URL,
    baseUrl: string,
    grant: { tenant: string },
    hasMailbox: (tenant: string, user: string) => boolean,
    send: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): Promise<boolean> {
    const delta = /^\/v1\.0\/users\/([^/]+)\/calendarView\/delta$/.exec(url.pathname);
    const one = /^\/v1\.0\/users\/([^/]+)\/events\/([^/]+)$/.exec(url.pathname);
    if ((!delta && !one) || req.method !== "GET") return false;
    const user = decodeURIComponent((delta ?? one)?.[1] ?? "");
    const zone = /outlook\.timezone="([^"]+)"/.exec(String(req.headers.prefer ?? ""))?.[1] ?? null;
    const kind: CalendarRequest["kind"] = one
      ? "event"
      : url.searchParams.has("$skiptoken")
        ? "next"
        : url.searchParams.has("$deltatoken")
          ? "delta"
          : "initial";
    const record = (status: number, items = 0) =>
      this.requests.push({ user, kind, status, items, timeZone: zone });
    if (!hasMailbox(grant.tenant, user)) {
      record(404);
      send(404, { error: { code: "ErrorInvalidUser", message: `The requested user '${user}' is invalid.` } });
      return true;
    }
    const fault = this.faults.shift();
    if (fault) {
      record(fault.status);
      send(
        fault.status,
        {
          error: {
            code: fault.status === 403 ? "ErrorAccessDenied" : "TooManyRequests",
            message:
              fault.status === 403 ? "Access is denied. Check credentials and try again." : "Try later.",
          },
        },
        fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {},
      );
      return true;
    }
    const owned = (e: StoredEvent) => this.key(e.tenant, e.user) === this.key(grant.tenant, user);

    if (one) {
      const id = decodeURIComponent(one[2] ?? "");
      const stored = this.events.find((e) => e.id === id && owned(e) && e.removedSeq === null);
      if (!stored) {
        record(404);
        send(404, {
          error: { code: "ErrorItemNotFound", message: "The specified object was not found in the store." },
        });
        return true;
      }
      record(200, 1);
      send(200, this.entry(stored, zone, null));
      return true;
    }

    let cursor: Cursor;
    if (kind === "next") cursor = decode<Cursor>(url.searchParams.get("$skiptoken") ?? "");
    else if (kind === "delta") {
      const state = decode<DeltaToken>(url.searchParams.get("$deltatoken") ?? "");
      if (state.issued < this.expiredBefore) {
        record(410);
        send(410, {
          error: { code: "SyncStateNotFound", message: "The sync state is not found or expired." },
        });
        return true;
      }
      cursor = { ...state, fromSeq: state.seq, toSeq: this.seq, offset: 0 };
    } else {
      const start = Date.parse(url.searchParams.get("startDateTime") ?? "");
      const end = Date.parse(url.searchParams.get("endDateTime") ?? "");
      if (Number.isNaN(start) || Number.isNaN(end)) {
        record(400);
        send(400, {
          error: {
            code: "ErrorInvalidParameter",
            message:
              "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
          },
        });
        return true;
      }
      cursor = { tenant: grant.tenant, user, start, end, fromSeq: 0, toSeq: this.seq, offset: 0 };
    }
    if (this.key(cursor.tenant, cursor.user) !== this.key(grant.tenant, user)) {
      record(400);
      send(400, { error: { code: "InvalidRequest", message: "The link belongs to another mailbox." } });
      return true;
    }
    const mine = this.events.filter(owned);
    const entries =
      cursor.fromSeq === 0
        ? mine.filter(
            (e) =>
              e.createdSeq <= cursor.toSeq &&
              (e.removedSeq === null || e.removedSeq > cursor.toSeq) &&
              this.inWindow(e, cursor),
          )
        : mine
            .filter((e) => e.changedSeq > cursor.fromSeq && e.changedSeq <= cursor.toSeq)
            // An event made and gone (or made outside the window) since the last round is none of the client's.
            .filter(
              (e) => e.createdSeq <= cursor.fromSeq || (e.removedSeq === null && this.inWindow(e, cursor)),
            )
            .sort((a, b) => a.changedSeq - b.changedSeq);
    const pageSize = Number(/odata\.maxpagesize=(\d+)/.exec(String(req.headers.prefer ?? ""))?.[1] ?? 10);
    const page = entries.slice(cursor.offset, cursor.offset + pageSize);
    const value = page.map((e) =>
      e.removedSeq !== null || !this.inWindow(e, cursor)
        ? { "@odata.type": "#microsoft.graph.event", id: e.id, "@removed": { reason: "deleted" } }
        : this.entry(e, zone, cursor),
    );
    const base = `${baseUrl}/v1.0/users/${encodeURIComponent(user)}/calendarView/delta`;
    const more = cursor.offset + pageSize < entries.length;
    record(200, value.length);
    send(200, {
      "@odata.context": `${baseUrl}/v1.0/$metadata#Collection(event)`,
      value,
      ...(more
        ? {
            "@odata.nextLink": `${base}?$skiptoken=${encode({ ...cursor, offset: cursor.offset + pageSize })}`,
          }
        : {
            "@odata.deltaLink": `${base}?$deltatoken=${encode({
              tenant: cursor.tenant,
              user: cursor.user,
              start: cursor.start,
              end: cursor.end,
              seq: cursor.toSeq,
              issued: Date.now(),
            } satisfies DeltaToken)}`,
          }),
    });
    return true;
  }

  private entry(stored: StoredEvent, zone: string | null, _cursor: Cursor | null): Record<string, unknown> {
    const e = stored.event;
    const out = zone ?? "UTC";
    const time = (t: TestDateTime) => ({ dateTime: `${wallIn(out, instantIn(t))}.0000000`, timeZone: out });
    const person = (a: TestAttendee) => ({ emailAddress: { address: a.address, name: a.name ?? a.address } });
    return {
      "@odata.type": "#microsoft.graph.event",
      "@odata.etag": `W/"${stored.changedSeq}"`,
      id: stored.id,
      iCalUId: e.iCalUId ?? `uid-${stored.id}`,
      subject: e.subject ?? "",
      bodyPreview: e.bodyPreview ?? "",
      start: time(e.start),
      end: time(e.end),
      originalStartTimeZone: e.start.timeZone,
      originalEndTimeZone: e.end.timeZone,
      isAllDay: false,
      isCancelled: e.isCancelled ?? false,
      sensitivity: e.sensitivity ?? "normal",
      type: e.type ?? "singleInstance",
      seriesMasterId: e.seriesMasterId ?? null,
      showAs: "busy",
      location: { displayName: e.location ?? "" },
      isOnlineMeeting: e.joinUrl !== undefined,
      onlineMeeting: e.joinUrl ? { joinUrl: e.joinUrl } : null,
      organizer: person(e.organizer),
      attendees: (e.attendees ?? []).map((a) => ({
        type: a.type ?? "required",
        status: { response: "none", time: "0001-01-01T00:00:00Z" },
        ...person(a),
      })),
    };
  }
}
