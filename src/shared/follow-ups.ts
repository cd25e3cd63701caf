import { z } from "zod";
import { Id, IsoDateTime } from "./common";
import { normalizeMessageId } from "./message-id";

/**
 * No-reply follow-ups (docs/follow-ups.md): a rep who sends a contact an email may ask to be reminded when no
 * reply came within N working days. The rules both sides apply live here: what a request is, which headers make
 * an email a reply or an automatic one, and when a reminder is due.
 */

export const FOLLOW_UP_MIN_DAYS = 1;
export const FOLLOW_UP_MAX_DAYS = 30;
export const FOLLOW_UP_DEFAULT_DAYS = 3;

export const FollowUpDays = z.number().int().min(FOLLOW_UP_MIN_DAYS).max(FOLLOW_UP_MAX_DAYS);

/** What a log asks for: a reminder after so many working days; null: none, whatever the organisation's default. */
export const FollowUpRequest = z.strictObject({ days: FollowUpDays }).nullable();
export type FollowUpRequest = z.infer<typeof FollowUpRequest>;

export const FollowUpState = z.enum(["waiting", "fired", "cancelled"]);
export type FollowUpState = z.infer<typeof FollowUpState>;

/** A logged email's reminder, as the log's answer shows it. */
export const FollowUpReminder = z.object({
  id: Id,
  ownerId: Id,
  days: FollowUpDays,
  dueAt: IsoDateTime,
  state: FollowUpState,
  /** The task it made on its owner's Today, once fired. */
  taskId: Id.nullable(),
  /** The reply that settled it (cancelled before it fired, or closed its task). */
  replyId: Id.nullable(),
});
export type FollowUpReminder = z.infer<typeof FollowUpReminder>;

/** An internet header as Graph's `internetMessageHeaders` lists them and Office.js reads them. */
export const MailHeader = z.strictObject({ name: z.string().max(100), value: z.string().max(32_000) });
export type MailHeader = z.infer<typeof MailHeader>;

/** The headers a log needs to tell a reply and an automatic answer: clients send these and no others. */
export const REPLY_HEADERS: readonly string[] = [
  "in-reply-to",
  "references",
  "auto-submitted",
  "x-auto-response-suppress",
  "precedence",
];

/** Whether a header is one of REPLY_HEADERS (any letter case). */
export function isReplyHeader(name: string): boolean {
  return REPLY_HEADERS.includes(name.toLowerCase());
}

/** Most a References header is read for: a thread's newest ids come last and a reply's parent is among them. */
const MAX_REFERENCES = 100;

export interface ReplySignals {
  /** Message ids this email answers (In-Reply-To and References), each as normalizeMessageId writes it. */
  answers: string[];
  /**
   * Written by a machine on the recipient's behalf (out of office, an autoresponder): never a reply. RFC 3834's
   * Auto-Submitted other than "no"; Exchange's X-Auto-Response-Suppress, which its automatic answers carry and
   * people's mail does not; Precedence auto_reply, bulk, junk or list.
   */
  automatic: boolean;
}

/** What the headers say of an email as an answer. One pass over the headers and one over each id list. */
export function replySignals(headers: readonly MailHeader[]): ReplySignals {
  const answers: string[] = [];
  let automatic = false;
  for (const { name, value } of headers) {
    const key = name.toLowerCase();
    const text = value.trim().toLowerCase();
    if (key === "in-reply-to" || key === "references") {
      // Ids are <...> without spaces or brackets inside: a regex without nesting, linear in the header.
      for (const match of value.matchAll(/<[^<>\s]{1,994}>/g)) {
        if (answers.length >= MAX_REFERENCES) break;
        answers.push(normalizeMessageId(match[0]));
      }
    } else if (key === "auto-submitted") {
      if (text !== "" && text !== "no") automatic = true;
    } else if (key === "x-auto-response-suppress") {
      if (text !== "") automatic = true;
    } else if (key === "precedence") {
      if (["auto_reply", "bulk", "junk", "list"].includes(text)) automatic = true;
    }
  }
  return { answers: [...new Set(answers)], automatic };
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

function wallClockIn(timeZone: string, instant: number): WallClock & { weekday: number } {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    weekday: "short",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: new Date(instant).getUTCMilliseconds(),
    weekday: WEEKDAY_INDEX[parts.weekday ?? "Sun"] ?? 0,
  };
}

/**
 * The instant a wall-clock time happens in a zone. Read as UTC first, then corrected by the zone's offset there
 * (twice: the offset may change between the guess and the answer). A time that never happens (clocks springing
 * forward) comes out an hour later, one that happens twice (falling back) at its first.
 */
function instantOf(timeZone: string, wall: WallClock): number {
  const asUtc = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour,
    wall.minute,
    wall.second,
    wall.millisecond,
  );
  const offsetAt = (instant: number) => {
    const w = wallClockIn(timeZone, instant);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond) - instant;
  };
  const first = asUtc - offsetAt(asUtc);
  const second = asUtc - offsetAt(first);
  return Math.min(first, second);
}

/**
 * When a reminder for mail sent at `sentAt` is due: `days` working days (Monday to Friday) later in the rep's time
 * zone, at the same local time of day. Sent on a weekend, the counting starts with the next Monday as day one.
 */
export function followUpDueAt(sentAt: Date, days: number, timeZone: string): Date {
  const sent = wallClockIn(timeZone, sentAt.getTime());
  // Walk the calendar as plain dates (UTC has no DST), counting the weekdays stepped onto.
  const date = new Date(Date.UTC(sent.year, sent.month - 1, sent.day));
  let counted = 0;
  while (counted < days) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) counted += 1;
  }
  return new Date(
    instantOf(timeZone, {
      ...sent,
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
    }),
  );
}
