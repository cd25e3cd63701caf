import { TimeZone } from "../../shared/time-zone";
import { type Language, defineMessages, localeFor, translate } from "../../shared/languages";

/**
 * A fired follow-up's task, in its owner's language (their choice in the web app, English when they made none).
 * Croatian names the day in brackets: "od" would need the weekday in the genitive, which Intl does not give.
 */
const followUpMessages = defineMessages(
  {
    title: "No reply from {name} to '{subject}' since {day}",
    notes: "You asked to be reminded if {name} had not replied within {days} working days.",
    closed: "{name} replied on {date}; closed by Rapport.",
    noSubject: "(no subject)",
  },
  {
    sv: {
      title: "Inget svar från {name} på '{subject}' sedan {day}",
      notes: "Du bad om en påminnelse om {name} inte svarat inom {days} arbetsdagar.",
      closed: "{name} svarade {date}; stängd av Rapport.",
      noSubject: "(inget ämne)",
    },
    de: {
      title: "Keine Antwort von {name} auf '{subject}' seit {day}",
      notes: "Sie wollten erinnert werden, falls {name} nicht innerhalb von {days} Arbeitstagen antwortet.",
      closed: "{name} hat am {date} geantwortet; von Rapport erledigt.",
      noSubject: "(kein Betreff)",
    },
    nb: {
      title: "Ikke noe svar fra {name} på '{subject}' siden {day}",
      notes: "Du ba om en påminnelse hvis {name} ikke hadde svart innen {days} arbeidsdager.",
      closed: "{name} svarte {date}; lukket av Rapport.",
      noSubject: "(uten emne)",
    },
    hr: {
      title: "Nema odgovora od {name} na '{subject}' (poslano: {day})",
      notes: "Tražili ste podsjetnik ako {name} ne odgovori u roku od {days} radnih dana.",
      closed: "{name} je odgovorio/la {date}; zatvorio Rapport.",
      noSubject: "(bez predmeta)",
    },
  },
);

const WEEK_MS = 7 * 86_400_000;

/** A zone this runtime's Intl knows, else UTC: a stored zone it no longer knows must not stop a task being made. */
const readableZone = (zone: string): string => (TimeZone.safeParse(zone).success ? zone : "UTC");

/**
 * Text a sender wrote (a subject, a display name) as one line of a task: controls (line breaks, escapes) become
 * spaces and invisible format characters (bidi overrides and isolates, zero-width ones) go, so nothing in it can
 * reorder or hide the words around it.
 */
function plainLine(text: string, max: number): string {
  const line = text
    .replace(/\p{Cf}/gu, "")
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * "No reply from Anna Berg to 'Proposal for Q3' since Tuesday": the day the mail went, by its weekday while that
 * is within the week, else by its date, in the owner's language and time zone.
 */
export function followUpTitle(
  language: Language,
  input: { name: string; subject: string; sentAt: Date; now: Date; timeZone: string },
): string {
  const words = followUpMessages[language];
  const locale = localeFor(language);
  const withinWeek = input.now.getTime() - input.sentAt.getTime() < WEEK_MS - 86_400_000;
  const day = new Intl.DateTimeFormat(
    locale,
    withinWeek
      ? { weekday: "long", timeZone: readableZone(input.timeZone) }
      : { day: "numeric", month: "long", timeZone: readableZone(input.timeZone) },
  ).format(input.sentAt);
  return translate(words.title, {
    name: plainLine(input.name, 100),
    subject: plainLine(input.subject, 150) || words.noSubject,
    day,
  }).slice(0, 300);
}

export function followUpNotes(language: Language, name: string, days: number): string {
  return translate(followUpMessages[language].notes, { name: plainLine(name, 100), days });
}

/** What a reply adds to the task it closes. */
export function followUpClosedNote(
  language: Language,
  name: string,
  repliedAt: Date,
  timeZone: string,
): string {
  const date = new Intl.DateTimeFormat(localeFor(language), {
    dateStyle: "long",
    timeZone: readableZone(timeZone),
  }).format(repliedAt);
  return translate(followUpMessages[language].closed, { name: plainLine(name, 100), date });
}
