/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { z } from "zod";
import type { SimulatedAppointment } from "../../src/addin/office/simulated-mailbox";
import type { MeetingBrief } from "../../src/shared/meetings";
import { anna, closePanes, erik, fabrikamRenewal, secondDeal, setup, stage } from "../helpers/pane-fixtures";

afterEach(closePanes);

const id = (n: number) => `7b100000-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** Anna invited Rita (and a stranger from Northwind); Rita opens it as an attendee. */
const invited: SimulatedAppointment = {
  id: "review",
  mode: "attendee",
  iCalUId: null,
  subject: "Quarterly review",
  start: "2026-11-24T09:00:00.000Z",
  end: "2026-11-24T10:00:00.000Z",
  location: "Fabrikam HQ, Stockholm",
  organizer: { address: "anna@fabrikam.example", name: "Anna Berg" },
  requiredAttendees: [
    { address: "rita@contoso.example", name: "Rita Rep" },
    { address: "jonas@northwind.example", name: "Jonas Lind" },
  ],
  optionalAttendees: [],
};

/** Rita organises a call with Anna and Erik, on Teams. */
const organised: SimulatedAppointment = {
  id: "kickoff",
  mode: "organizer",
  iCalUId: "040000008200E00074C5B7101A82E00800000000",
  subject: "Kick-off",
  start: "2026-11-25T13:00:00.000Z",
  end: "2026-11-25T13:30:00.000Z",
  location: "https://teams.microsoft.com/l/meetup-join/abc",
  organizer: { address: "rita@contoso.example", name: "Rita Rep" },
  requiredAttendees: [{ address: "anna@fabrikam.example", name: "Anna Berg" }],
  optionalAttendees: [{ address: "erik@fabrikam.example", name: "Erik Holm" }],
};

/** Rita alone, blocking time: nobody to show or log with. */
const alone: SimulatedAppointment = {
  ...invited,
  id: "focus",
  mode: "organizer",
  subject: "Focus time",
  organizer: { address: "rita@contoso.example", name: "Rita Rep" },
  requiredAttendees: [],
};

const form = () => screen.getByRole("form", { name: "Log this meeting" });

async function openMeeting(pane: ReturnType<typeof setup>, meetingId: string) {
  act(() => pane.mailbox.select(meetingId));
  await screen.findByRole("form", { name: "Log this meeting" });
}

describe("the pane on a meeting", () => {
  it("shows the meeting and its attendees' profiles, Anna's first as its organiser, and the stranger's", async () => {
    const pane = setup({ appointments: [invited] });
    await openMeeting(pane, "review");
    expect(screen.getByRole("heading", { name: "Quarterly review" })).toBeTruthy();
    expect(screen.getByText(/Fabrikam HQ, Stockholm/)).toBeTruthy();
    const tabs = await screen.findByRole("tablist", { name: "People at this meeting" });
    // The organiser, then the attendees, never Rita herself.
    expect(within(tabs).getAllByRole("tab")).toEqual([
      within(tabs).getByRole("tab", { name: "Anna Berg" }),
      within(tabs).getByRole("tab", { name: "Jonas Lind" }),
    ]);
    expect(
      within(screen.getByRole("region", { name: "Open deals" })).getByText("Fabrikam renewal"),
    ).toBeTruthy();
    expect(pane.server.received("lookupPeople")).toEqual([
      { query: { email: ['"Anna Berg" <anna@fabrikam.example>', '"Jonas Lind" <jonas@northwind.example>'] } },
    ]);

    fireEvent.click(within(tabs).getByRole("tab", { name: "Jonas Lind" }));
    expect(await screen.findByText("Not in Rapport yet")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Add to Rapport" })).toBeTruthy();
  });

  it("logs the meeting with the rep's notes, its outcome and the one open deal, then updates the same log", async () => {
    const pane = setup({ appointments: [invited] });
    await openMeeting(pane, "review");
    fireEvent.change(within(form()).getByLabelText("Notes"), {
      target: { value: "  Agreed on a pilot in January.  " },
    });
    fireEvent.change(within(form()).getByLabelText("How did it go?"), { target: { value: "held" } });
    // Anna's one open deal is chosen for the rep.
    expect((within(form()).getByLabelText("Deal") as HTMLSelectElement).value).toBe(fabrikamRenewal.id);
    fireEvent.click(within(form()).getByRole("button", { name: "Log meeting" }));

    expect(await screen.findByText("Meeting logged.")).toBeTruthy();
    const [sent] = pane.server.received("logMeeting") as { body: Record<string, unknown> }[];
    expect(sent?.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      subject: "Quarterly review",
      startsAt: "2026-11-24T09:00:00.000Z",
      endsAt: "2026-11-24T10:00:00.000Z",
      location: "Fabrikam HQ, Stockholm",
      organizer: { address: "anna@fabrikam.example", name: "Anna Berg" },
      attendees: [
        { address: "rita@contoso.example", name: "Rita Rep" },
        { address: "jonas@northwind.example", name: "Jonas Lind" },
      ],
      notes: "Agreed on a pilot in January.",
      outcome: "held",
      dealId: fabrikamRenewal.id,
    });
    // Outlook mobile's Log button now reads View.
    await waitFor(() => expect(pane.mailbox.appointments()[0]?.eventLogged).toBe(true));

    // Logged again, it is the same meeting on the server: updated, not a second one.
    fireEvent.change(within(form()).getByLabelText("How did it go?"), { target: { value: "rescheduled" } });
    fireEvent.click(within(form()).getByRole("button", { name: "Update the log" }));
    await waitFor(() => expect(pane.server.received("logMeeting")).toHaveLength(2));
    expect(pane.server.meetings.size).toBe(1);
    expect([...pane.server.meetings.values()][0]?.outcome).toBe("rescheduled");
  });

  it("as its organiser: the Teams link goes as the online link, and with several open deals the rep picks one", async () => {
    const pane = setup({ appointments: [organised], secondDeal: true, contacts: [erik] });
    await openMeeting(pane, "kickoff");
    const deal = within(form()).getByLabelText("Deal") as HTMLSelectElement;
    // Several open deals: nothing is chosen for the rep.
    expect(deal.value).toBe("");
    expect([...deal.options].map((o) => o.textContent)).toEqual([
      "No deal",
      "Fabrikam renewal",
      "Fabrikam expansion",
    ]);
    fireEvent.change(deal, { target: { value: secondDeal.id } });
    fireEvent.click(within(form()).getByRole("button", { name: "Log meeting" }));
    expect(await screen.findByText("Meeting logged.")).toBeTruthy();
    expect(pane.server.received("logMeeting")).toMatchObject([
      {
        body: {
          iCalUId: organised.iCalUId,
          onlineUrl: "https://teams.microsoft.com/l/meetup-join/abc",
          organizer: { address: "rita@contoso.example" },
          attendees: [{ address: "anna@fabrikam.example" }, { address: "erik@fabrikam.example" }],
          dealId: secondDeal.id,
        },
      },
    ]);
    const body = (pane.server.received("logMeeting")[0] as { body: Record<string, unknown> }).body;
    expect(body).not.toHaveProperty("location");
    expect(body).not.toHaveProperty("notes");
    expect(body).not.toHaveProperty("outcome");
  });

  it("keeps the log in the outbox while Rapport cannot be reached, and sends it once when it is back", async () => {
    const pane = setup({ appointments: [invited] });
    await openMeeting(pane, "review");
    pane.server.reachable = false;
    fireEvent.change(within(form()).getByLabelText("Notes"), { target: { value: "Written on the train" } });
    fireEvent.click(within(form()).getByRole("button", { name: "Log meeting" }));
    const waiting = await screen.findByRole("button", { name: "Logs when Rapport is back" });
    expect((waiting as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Waiting to be sent when Rapport is back: 1")).toBeTruthy();
    expect(pane.server.received("logMeeting")).toEqual([]);

    pane.server.reachable = true;
    fireEvent.click(screen.getByRole("button", { name: "Send now" }));
    expect(await screen.findByText("Meeting logged.")).toBeTruthy();
    expect(pane.server.received("logMeeting")).toMatchObject([{ body: { notes: "Written on the train" } }]);
    expect(pane.server.meetings.size).toBe(1);
  });

  it("says why a meeting with no contact in Rapport is not logged, with a way to try again", async () => {
    const pane = setup({ appointments: [invited], meetingWithoutContact: true });
    await openMeeting(pane, "review");
    fireEvent.click(within(form()).getByRole("button", { name: "Log meeting" }));
    expect(
      await screen.findByText(
        "Nobody at this meeting is a contact in Rapport yet: add one of them, then log it.",
      ),
    ).toBeTruthy();
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
    expect(screen.queryByText("Meeting logged.")).toBeNull();
    expect(pane.server.meetings.size).toBe(0);
    expect(pane.mailbox.appointments()[0]?.eventLogged).toBeUndefined();
    // Refused while the rep watched: nothing is left waiting in the outbox.
    expect(pane.services.outbox.entries()).toEqual([]);
  });

  it("says when nobody else is invited, and follows the selection from a meeting to an email and back", async () => {
    const pane = setup({ appointments: [alone, invited] });
    act(() => pane.mailbox.select("focus"));
    expect(
      await screen.findByText("Nobody else is invited yet: add attendees to see who they are."),
    ).toBeTruthy();
    expect(screen.queryByRole("form", { name: "Log this meeting" })).toBeNull();

    act(() => pane.mailbox.select("known"));
    expect(await screen.findByRole("button", { name: "Log this email" })).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Focus time" })).toBeNull();

    await openMeeting(pane, "review");
    expect(screen.queryByRole("button", { name: "Log this email" })).toBeNull();
  });

  it("speaks the rep's language", async () => {
    const pane = setup({ appointments: [invited], language: "sv-SE" });
    act(() => pane.mailbox.select("review"));
    const swedish = await screen.findByRole("form", { name: "Logga det här mötet" });
    expect(within(swedish).getByLabelText("Anteckningar")).toBeTruthy();
    expect(within(swedish).getByRole("option", { name: "De kom inte" })).toBeTruthy();
    expect(within(swedish).getByRole("button", { name: "Logga mötet" })).toBeTruthy();
  });
});

// ---------------------------------------------------------------------------------------------------------

const startOfTodayUtc = () => Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
const at = (hours: number) => new Date(startOfTodayUtc() + hours * 3_600_000).toISOString();

/** Today's 10:00 with Anna: her company, her deal, her last three interactions and an open task. */
const withAnna = (): z.input<typeof MeetingBrief> => ({
  interactionId: id(1),
  subject: "Renewal terms",
  startsAt: at(10),
  endsAt: at(11),
  location: "Teams",
  onlineUrl: "https://teams.microsoft.com/l/meetup-join/x",
  cancelled: false,
  attendees: [
    { address: "rita@contoso.example", name: "Rita Rep", contactId: null },
    { address: "anna@fabrikam.example", name: "Anna Berg", contactId: anna.id },
  ],
  contacts: [
    {
      contact: { id: anna.id, displayName: "Anna Berg", title: "CFO", email: "anna@fabrikam.example" },
      company: { id: id(9), name: "Fabrikam AB" },
      openDeals: [
        {
          id: fabrikamRenewal.id,
          name: "Fabrikam renewal",
          amount: 12000,
          currency: "EUR",
          stage: { id: stage.id, name: "Proposal" },
        },
      ],
      lastInteractions: [
        {
          id: id(2),
          kind: "email",
          direction: "in",
          occurredAt: "2026-11-20T09:30:00.000Z",
          subject: "Proposal for Q3",
        },
        {
          id: id(3),
          kind: "call",
          direction: "out",
          occurredAt: "2026-11-18T14:00:00.000Z",
          subject: "Pricing",
        },
        {
          id: id(4),
          kind: "meeting",
          direction: null,
          occurredAt: "2026-11-02T10:00:00.000Z",
          subject: "Intro",
        },
      ],
      openTasks: [{ id: id(5), title: "Send the revised quote", dueAt: "2026-11-26T17:00:00.000Z" }],
    },
  ],
});

describe("the pane on a meeting: its history, its time, its words", () => {
  it("shows a meeting log waiting in the outbox in the person's History, as a queued email log shows", async () => {
    const pane = setup({ appointments: [invited] });
    await openMeeting(pane, "review");
    pane.server.reachable = false;
    fireEvent.click(within(form()).getByRole("button", { name: "Log meeting" }));
    await screen.findByRole("button", { name: "Logs when Rapport is back" });
    const history = screen.getByRole("region", { name: "History" });
    const row = within(history).getByText("Meeting: Quarterly review").closest("li") as HTMLElement;
    expect(within(row).getByText("Waiting to send")).toBeTruthy();
    pane.server.reachable = true;
    fireEvent.click(screen.getByRole("button", { name: "Send now" }));
    await waitFor(() => expect(within(history).queryByText("Waiting to send")).toBeNull());
  });

  it("writes the day once when the meeting ends on the day it starts, and twice when it does not", async () => {
    const overnight: SimulatedAppointment = {
      ...invited,
      id: "overnight",
      subject: "Trade fair",
      start: "2026-11-24T09:00:00.000Z",
      end: "2026-11-26T16:00:00.000Z",
    };
    const pane = setup({ appointments: [invited, overnight] });
    await openMeeting(pane, "review");
    const when = (subject: string) =>
      screen.getByRole("heading", { name: subject }).nextElementSibling?.textContent ?? "";
    const times = new Intl.DateTimeFormat("en-US", { timeStyle: "short" });
    const dates = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });
    expect(when("Quarterly review")).toBe(
      `${dates.format(new Date(invited.start))} – ${times.format(new Date(invited.end))} · Fabrikam HQ, Stockholm`,
    );
    expect(when("Quarterly review").match(/2026/g)).toHaveLength(1);
    act(() => pane.mailbox.select("overnight"));
    await screen.findByRole("heading", { name: "Trade fair" });
    expect(when("Trade fair").match(/2026/g)).toHaveLength(2);
  });

  it("keeps two meetings of one subject apart: the notes written on one do not show on the other", async () => {
    const nextWeek: SimulatedAppointment = {
      ...invited,
      id: "review-next-week",
      start: "2026-12-01T09:00:00.000Z",
      end: "2026-12-01T10:00:00.000Z",
    };
    const pane = setup({ appointments: [invited, nextWeek] });
    await openMeeting(pane, "review");
    fireEvent.change(within(form()).getByLabelText("Notes"), { target: { value: "About this week" } });
    act(() => pane.mailbox.select("review-next-week"));
    await waitFor(() => expect(screen.getByText(/Dec 1, 2026/)).toBeTruthy());
    expect((within(form()).getByLabelText("Notes") as HTMLTextAreaElement).value).toBe("");
  });

  it("sends the meeting's iCalUId read from the calendar through Graph, and logs without it when Graph fails", async () => {
    const withRestId: SimulatedAppointment = { ...invited, restId: "AAMkRestReview" };
    const asked: string[] = [];
    let graphUp = true;
    const pane = setup({
      appointments: [withRestId],
      meetingIds: {
        async iCalUIdOf(restId) {
          asked.push(restId);
          if (!graphUp) throw new Error("Graph cannot be reached");
          return "040000008200E00074C5B7101A82E008000000005E";
        },
      },
    });
    await openMeeting(pane, "review");
    fireEvent.click(within(form()).getByRole("button", { name: "Log meeting" }));
    expect(await screen.findByText("Meeting logged.")).toBeTruthy();
    expect(asked).toEqual(["AAMkRestReview"]);
    expect(pane.server.received("logMeeting")).toMatchObject([
      { body: { iCalUId: "040000008200E00074C5B7101A82E008000000005E", subject: "Quarterly review" } },
    ]);

    // Graph failing is no reason not to log: the server joins by organiser, start and subject then.
    graphUp = false;
    fireEvent.click(within(form()).getByRole("button", { name: "Update the log" }));
    await waitFor(() => expect(pane.server.received("logMeeting")).toHaveLength(2));
    expect(pane.server.received("logMeeting")[1]).not.toHaveProperty("body.iCalUId");
  });

  it("calls a calendar meeting a Termin in German, as Outlook's German calendar does", async () => {
    const pane = setup({ appointments: [invited], language: "de-DE" });
    act(() => pane.mailbox.select("review"));
    const german = await screen.findByRole("form", { name: "Diesen Termin protokollieren" });
    expect(within(german).getByRole("button", { name: "Termin protokollieren" })).toBeTruthy();
    expect(screen.getByRole("tablist", { name: "Teilnehmende dieses Termins" })).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/Besprechung/);
  });
});

describe("today's meetings in the pane's Today", () => {
  const briefs = () => screen.findByRole("region", { name: /^Today's meetings/ });

  it("lists each meeting with the brief of each contact: who, their company, open deals and stage, the last three interactions, open tasks", async () => {
    setup({
      meetingBriefs: [
        withAnna(),
        {
          ...withAnna(),
          interactionId: id(6),
          subject: "Cancelled lunch",
          startsAt: at(12),
          endsAt: at(13),
          cancelled: true,
          contacts: [],
        },
      ],
    });
    const section = await briefs();
    expect(within(section).getByRole("heading", { name: "Today's meetings (2)" })).toBeTruthy();
    const [first, second] = within(section).getAllByRole("listitem");
    expect(within(first as HTMLElement).getByText(/Renewal terms/)).toBeTruthy();
    const brief = within(first as HTMLElement).getByRole("group", { name: "Anna Berg" });
    expect(within(brief).getByText("CFO at Fabrikam AB")).toBeTruthy();
    expect(within(brief).getByRole("button", { name: "Fabrikam renewal · Proposal" })).toBeTruthy();
    expect(within(brief).getByText(/Email · Proposal for Q3/)).toBeTruthy();
    expect(within(brief).getByText(/Call · Pricing/)).toBeTruthy();
    expect(within(brief).getByText(/Meeting · Intro/)).toBeTruthy();
    expect(within(brief).getByText(/Send the revised quote · Due/)).toBeTruthy();
    expect(within(second as HTMLElement).getByText("Cancelled")).toBeTruthy();

    // A name in a brief opens the contact in the pane, with a way back to Today.
    fireEvent.click(within(brief).getByRole("button", { name: "Anna Berg" }));
    expect(await screen.findByRole("button", { name: "Back to Today" })).toBeTruthy();
  });

  it("says so when there is no meeting with customers today", async () => {
    setup();
    const section = await briefs();
    expect(within(section).getByText("No meetings with customers today")).toBeTruthy();
  });

  it("says when the briefs cannot be loaded, and loads them again on retry", async () => {
    const pane = setup({ meetingBriefs: [withAnna()], failMeetingBriefs: 4 });
    const retry = await screen.findByRole("button", { name: "Try again" }, { timeout: 15_000 });
    expect(screen.getByText("Rapport cannot be reached. Check your connection and try again.")).toBeTruthy();
    // The rest of Today is there all the same.
    expect(screen.getByRole("region", { name: /^Follow-ups due/ })).toBeTruthy();
    fireEvent.click(retry);
    const section = await briefs();
    expect(within(section).getByRole("group", { name: "Anna Berg" })).toBeTruthy();
    // Four failed tries (the first and the query layer's three), then the rep's retry: in the rep's time zone.
    expect(pane.server.received("meetingBriefs")).toHaveLength(5);
    expect(pane.server.received("meetingBriefs").at(-1)).toEqual({ query: { timeZone: "UTC" } });
  }, 30_000);
});
