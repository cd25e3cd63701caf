import type { SimulatedAppointment, SimulatedMessage } from "../office/simulated-mailbox";

export const PREVIEW_USER = "rita@contoso.example";

/** The preview's inbox: a known customer, an unknown sender with a signature, a thread, and a draft. */
export const sampleMail: SimulatedMessage[] = [
  {
    id: "known",
    internetMessageId: "<proposal-q3@fabrikam.example>",
    conversationId: "conv-proposal",
    subject: "Re: Proposal for Q3",
    from: { address: "anna.berg@fabrikam.example", name: "Anna Berg" },
    to: [{ address: PREVIEW_USER, name: "Rita Rep" }],
    cc: [],
    sentAt: "2026-11-20T09:30:00.000Z",
    mode: "read",
    bodyText:
      "Hi Rita,\n\nthanks for the proposal. Could we move the start to January?\n\nBest regards\nAnna Berg\nCFO, Fabrikam AB\n+46 70 123 45 67",
  },
  {
    id: "unknown",
    internetMessageId: "<intro-2026@northwind.example>",
    conversationId: "conv-intro",
    subject: "Introduction: Northwind Traders",
    from: { address: "jonas.lind@northwind.example", name: "Jonas Lind" },
    to: [{ address: PREVIEW_USER, name: "Rita Rep" }],
    cc: [],
    sentAt: "2026-11-21T14:05:00.000Z",
    mode: "read",
    bodyText:
      "Hello Rita,\n\nMarta suggested I get in touch about your CRM.\n\nJonas Lind\nHead of Sales | Northwind Traders\nTel: +47 912 34 567",
  },
  {
    id: "thread",
    internetMessageId: "<kickoff@fabrikam.example>",
    conversationId: "conv-kickoff",
    subject: "Kick-off meeting",
    from: { address: "anna.berg@fabrikam.example", name: "Anna Berg" },
    to: [
      { address: PREVIEW_USER, name: "Rita Rep" },
      { address: "bo.ek@fabrikam.example", name: "Bo Ek" },
    ],
    cc: [{ address: "carl.sund@eu.fabrikam.example", name: "Carl Sund" }],
    sentAt: "2026-11-22T08:15:00.000Z",
    mode: "read",
    bodyText: "Hi all, let us meet on Monday at 10.",
  },
  {
    id: "draft",
    internetMessageId: null,
    conversationId: null,
    subject: "Follow-up",
    from: null,
    to: [{ address: "anna.berg@fabrikam.example", name: "Anna Berg" }],
    cc: [],
    sentAt: null,
    mode: "compose",
    bodyText: "",
  },
  {
    // A new email with no subject yet: the one a template fills, subject and all.
    id: "new-draft",
    internetMessageId: null,
    conversationId: null,
    subject: "",
    from: null,
    to: [{ address: "anna.berg@fabrikam.example", name: "Anna Berg" }],
    cc: [],
    sentAt: null,
    mode: "compose",
    bodyText: "",
  },
];

/** Today at an hour (UTC), so the preview's meetings are the day's and show in Today's briefs once logged. */
const todayAt = (hour: number) => {
  const day = new Date();
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour)).toISOString();
};

/** The preview's calendar: a meeting Anna organised (Rita attends) and one Rita organises. */
export const sampleAppointments: SimulatedAppointment[] = [
  {
    id: "meeting-review",
    mode: "attendee",
    iCalUId: null,
    subject: "Quarterly review",
    start: todayAt(14),
    end: todayAt(15),
    location: "Fabrikam HQ, Stockholm",
    organizer: { address: "anna.berg@fabrikam.example", name: "Anna Berg" },
    requiredAttendees: [
      { address: PREVIEW_USER, name: "Rita Rep" },
      { address: "jonas.lind@northwind.example", name: "Jonas Lind" },
    ],
    optionalAttendees: [],
  },
  {
    id: "meeting-kickoff",
    mode: "organizer",
    iCalUId: null,
    subject: "Kick-off call",
    start: todayAt(16),
    end: todayAt(17),
    location: null,
    organizer: { address: PREVIEW_USER, name: "Rita Rep" },
    requiredAttendees: [{ address: "anna.berg@fabrikam.example", name: "Anna Berg" }],
    optionalAttendees: [],
  },
];
