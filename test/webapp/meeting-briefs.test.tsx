/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from "@testing-library/react";
import type { MeetingBrief } from "../../src/shared/meetings";
import { fakeMailbox, fakeWebServer, problem, renderWebApp } from "../helpers/webapp-fixtures";

const id = (n: number) => `7b200000-0000-4000-8000-${String(n).padStart(12, "0")}`;

const renewal: MeetingBrief = {
  interactionId: id(1),
  subject: "Renewal terms",
  startsAt: "2026-11-20T10:00:00.000Z",
  endsAt: "2026-11-20T11:00:00.000Z",
  location: "Fabrikam HQ",
  onlineUrl: "https://teams.microsoft.com/l/meetup-join/x",
  cancelled: false,
  attendees: [
    { address: "rita@contoso.example", name: "Rita Rep", contactId: null },
    { address: "anna@fabrikam.example", name: "Anna Berg", contactId: id(2) },
  ],
  contacts: [
    {
      contact: { id: id(2), displayName: "Anna Berg", title: "CFO", email: "anna@fabrikam.example" },
      company: { id: id(3), name: "Fabrikam AB" },
      openDeals: [
        {
          id: id(4),
          name: "Fabrikam renewal",
          amount: 12000,
          currency: "EUR",
          stage: { id: id(5), name: "Proposal" },
        },
      ],
      lastInteractions: [
        {
          id: id(6),
          kind: "email",
          direction: "in",
          occurredAt: "2026-11-19T09:30:00.000Z",
          subject: "Proposal for Q3",
        },
        {
          id: id(7),
          kind: "call",
          direction: "out",
          occurredAt: "2026-11-18T14:00:00.000Z",
          subject: "Pricing",
        },
        {
          id: id(8),
          kind: "meeting",
          direction: null,
          occurredAt: "2026-11-02T10:00:00.000Z",
          subject: "Intro",
        },
      ],
      openTasks: [{ id: id(9), title: "Send the revised quote", dueAt: "2026-11-26T17:00:00.000Z" }],
    },
  ],
};

describe("today's meetings on the web app's Today page", () => {
  it("lists each meeting with its contacts' briefs: who, their company, open deals and stage, the last three interactions, open tasks", async () => {
    const server = fakeWebServer();
    server.meetingBriefs = [
      renewal,
      { ...renewal, interactionId: id(10), subject: "Lunch", cancelled: true, onlineUrl: null, contacts: [] },
    ];
    renderWebApp(server, "/app", { timeZone: "Europe/Stockholm" });
    const list = await screen.findByRole("list", { name: "Today's meetings" });
    expect(screen.getByRole("heading", { name: "Today's meetings (2)" })).toBeTruthy();
    const [first, second] = within(list)
      .getAllByRole("listitem", { name: "" })
      .filter((li) => li.parentElement === list);
    expect(within(first as HTMLElement).getByText(/Renewal terms/)).toBeTruthy();
    expect(
      within(first as HTMLElement)
        .getByRole("link", { name: "Join online" })
        .getAttribute("href"),
    ).toBe(renewal.onlineUrl);
    const brief = within(first as HTMLElement).getByRole("region", { name: "Anna Berg" });
    expect(within(brief).getByRole("link", { name: "Anna Berg" }).getAttribute("href")).toBe(
      `/app/contacts/${id(2)}`,
    );
    expect(within(brief).getByText("CFO · Fabrikam AB")).toBeTruthy();
    expect(
      within(brief).getByRole("link", { name: "Fabrikam renewal · Proposal" }).getAttribute("href"),
    ).toBe(`/app/deals/${id(4)}`);
    expect(within(brief).getByText(/Email · Proposal for Q3/)).toBeTruthy();
    expect(within(brief).getByText(/Call · Pricing/)).toBeTruthy();
    expect(within(brief).getByText(/Meeting · Intro/)).toBeTruthy();
    expect(within(brief).getByText(/Send the revised quote · due/)).toBeTruthy();
    expect(within(second as HTMLElement).getByText("Cancelled")).toBeTruthy();
    // Today is the rep's day, in their time zone.
    expect(server.received("meetingBriefs")).toEqual([{ query: { timeZone: "Europe/Stockholm" } }]);
  });

  it("says so when there is no meeting with customers today", async () => {
    renderWebApp(fakeWebServer());
    expect(await screen.findByText("No meetings with customers today.")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Today's meetings (0)" })).toBeTruthy();
  });

  it("says when the meetings cannot be loaded, and loads them on retry", async () => {
    const server = fakeWebServer();
    server.meetingBriefs = [renewal];
    // The first try and the query layer's three retries.
    server.failNext("meetingBriefs", problem(503, "store_unavailable", "The store is not available."), 4);
    renderWebApp(server);
    expect(
      await screen.findByText(/Today's meetings could not be loaded/, undefined, { timeout: 15_000 }),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("list", { name: "Today's meetings" })).toBeTruthy();
  }, 30_000);

  it("speaks the rep's language", async () => {
    const server = fakeWebServer({ language: "hr" });
    server.meetingBriefs = [renewal];
    renderWebApp(server, "/app", { language: "hr" });
    const list = await screen.findByRole("list", { name: "Današnji sastanci" });
    expect(within(list).getByText("Posljednji kontakt")).toBeTruthy();
    expect(within(list).getByRole("link", { name: "Pridruži se online" })).toBeTruthy();
  });

  it("says why the day is empty when the calendar is not read, and what to do, instead of an empty list", async () => {
    const server = fakeWebServer();
    server.mailboxes = [fakeMailbox({ calendar: { state: "no_consent", syncedAt: null, error: null } })];
    renderWebApp(server);
    expect(
      await screen.findByText(
        "Your calendar cannot be read: Microsoft 365 refuses it. Ask an admin to grant Rapport Calendars.Read with admin consent; your mail goes on being logged.",
      ),
    ).toBeTruthy();
    expect(screen.queryByText("No meetings with customers today.")).toBeNull();
    expect(server.received("myMailbox")).toHaveLength(1);
  });

  it("says the mailbox sync is off, in the rep's language", async () => {
    const server = fakeWebServer();
    server.mailboxes = [
      fakeMailbox({
        status: "not_enabled",
        syncing: false,
        enabledForUser: false,
        calendar: { state: "off", syncedAt: null, error: null },
      }),
    ];
    renderWebApp(server, "/app", { language: "de" });
    expect(
      await screen.findByText(/^Ihre Besprechungen werden nicht gelesen: Die automatische Protokollierung/),
    ).toBeTruthy();
  });

  it("asks for the mailbox's state only on an empty day", async () => {
    const server = fakeWebServer();
    server.meetingBriefs = [renewal];
    renderWebApp(server);
    expect(await screen.findByRole("list", { name: "Today's meetings" })).toBeTruthy();
    expect(server.received("myMailbox")).toHaveLength(0);
  });

  it("shows today's meetings when the rest of the day cannot be loaded", async () => {
    const server = fakeWebServer();
    server.meetingBriefs = [renewal];
    server.failNext("dashboard", problem(400, "invalid_request", "Bad time zone."));
    renderWebApp(server);
    expect(await screen.findByText("Your day could not be loaded: Bad time zone.")).toBeTruthy();
    const list = await screen.findByRole("list", { name: "Today's meetings" });
    expect(within(list).getByText(/Renewal terms/)).toBeTruthy();
  });
});
