/**
 * @jest-environment jsdom
 */
import { webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { z } from "zod";
import type { SimulatedMessage } from "../../src/addin/office/simulated-mailbox";
import type { Timeline } from "../../src/shared/people";
import {
  anna,
  closePanes,
  erik,
  fabrikamRenewal,
  inbox,
  interactionOf,
  negotiation,
  setup,
  stage,
  taskOf,
} from "../helpers/pane-fixtures";

afterEach(closePanes);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const id = (n: number) => `7a000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

const draft: SimulatedMessage = {
  id: "draft",
  internetMessageId: null,
  conversationId: null,
  subject: "Renewal",
  from: null,
  to: [],
  cc: [],
  sentAt: null,
  mode: "compose",
  bodyText: "",
};
/** From Anna, with someone Rapport has never seen on copy. */
const withNewcomer: SimulatedMessage = {
  ...(inbox[0] as SimulatedMessage),
  id: "newcomer",
  internetMessageId: "<intro@fabrikam.example>",
  subject: "Meet Per",
  cc: [{ address: "per@litware.example", name: "Per Sund" }],
};
/** From Anna, with Erik (also known) on copy. */
const withErik: SimulatedMessage = {
  ...(inbox[0] as SimulatedMessage),
  id: "erik",
  internetMessageId: "<terms@fabrikam.example>",
  subject: "Terms",
  cc: [{ address: "erik@fabrikam.example", name: "Erik Holm" }],
};

/** Selects Anna's email and waits for her profile. */
async function openAnna(pane: ReturnType<typeof setup>) {
  act(() => pane.mailbox.select("known"));
  await screen.findByText("Anna Berg");
}

/** Opens a quick action's form (its code may load on first use: waited for, inside act). */
async function quickAction(name: "Note" | "Call" | "Follow-up"): Promise<HTMLElement> {
  const button = screen.getByRole("button", { name });
  await act(async () => {
    fireEvent.click(button);
  });
  return screen.findByRole("form", { name });
}

/** The texts of the history's rows, top to bottom (without their dates). */
function historyRows(): string[] {
  const history = screen.getByRole("region", { name: "History" });
  return within(history)
    .queryAllByRole("listitem")
    .map((row) => row.firstElementChild?.textContent ?? "");
}

/** `yyyy-mm-dd` in the local calendar, this many days from now, computed apart from the component's own code. */
function localDateIn(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  return [date.getFullYear(), date.getMonth() + 1, date.getDate()]
    .map((n, i) => String(n).padStart(i === 0 ? 4 : 2, "0"))
    .join("-");
}

describe("quick actions", () => {
  it("saves a note for the person, trimmed, with an id made in the pane, and says so", async () => {
    const pane = setup();
    await openAnna(pane);
    const form = await quickAction("Note");
    fireEvent.change(within(form).getByRole("textbox"), { target: { value: "  Asked for a discount \n" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("status")).textContent).toBe("Saved");
    expect(pane.server.received("createNote")).toEqual([
      {
        body: {
          id: expect.stringMatching(UUID),
          kind: "note",
          contactId: anna.id,
          body: "Asked for a discount",
        },
      },
    ]);
    expect(screen.queryByRole("form", { name: "Note" })).toBeNull();
    // Once saved, the history is read again and has it.
    await waitFor(() => expect(historyRows()).toContain("Note · Asked for a discount"));
  });

  it("will not save an empty note", async () => {
    const pane = setup();
    await openAnna(pane);
    const form = await quickAction("Note");
    fireEvent.change(within(form).getByRole("textbox"), { target: { value: "  \n " } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("Write something first.")).toBeTruthy();
    expect(pane.calls.some((c) => c.name === "createNote")).toBe(false);
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("logs a call that was not answered as a failed outgoing attempt", async () => {
    const pane = setup();
    await openAnna(pane);
    const form = await quickAction("Call");
    fireEvent.click(within(form).getByRole("radio", { name: "No answer" }));
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("status")).textContent).toBe("Saved");
    expect(pane.server.received("createNote")).toEqual([
      {
        body: {
          id: expect.stringMatching(UUID),
          kind: "call",
          contactId: anna.id,
          direction: "out",
          outcome: "no_answer",
          body: "",
        },
      },
    ]);
    await waitFor(() => expect(historyRows()).toContain("Call · No answer"));
  });

  it("adds a follow-up named after the person, due in three days at nine in the morning, local time", async () => {
    const pane = setup();
    await openAnna(pane);
    const before = localDateIn(3);
    const form = await quickAction("Follow-up");
    const after = localDateIn(3); // the same day unless the test ran across midnight
    const title = within(form).getByLabelText(/^Task/) as HTMLInputElement;
    const due = within(form).getByLabelText("Due") as HTMLInputElement;
    expect(title.value).toBe("Follow up with Anna");
    expect([before, after]).toContain(due.value);
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("status")).textContent).toBe("Saved");

    // `yyyy-mm-ddThh:mm:ss` without an offset is local time: nine in the morning of the rep's own day.
    const dueAt = new Date(`${due.value}T09:00:00`).toISOString();
    expect(pane.server.received("createTask")).toEqual([
      {
        body: {
          id: expect.stringMatching(UUID),
          title: "Follow up with Anna",
          contactId: anna.id,
          dueAt,
        },
      },
    ]);
    // Read back from the server: an open task of hers, and in her history.
    expect(await screen.findByRole("checkbox", { name: "Mark “Follow up with Anna” done" })).toBeTruthy();
    await waitFor(() => expect(historyRows()).toContain("Task: Follow up with Anna"));
  });

  it("saves a follow-up on the day the rep picks, and none without a title", async () => {
    const pane = setup();
    await openAnna(pane);
    const form = await quickAction("Follow-up");
    fireEvent.change(within(form).getByLabelText(/^Task/), { target: { value: " " } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("A task needs a title.")).toBeTruthy();
    expect(pane.calls.some((c) => c.name === "createTask")).toBe(false);

    fireEvent.change(within(form).getByLabelText(/^Task/), { target: { value: "Call about the budget" } });
    fireEvent.change(within(form).getByLabelText("Due"), { target: { value: "2027-01-04" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("status")).textContent).toBe("Saved");
    expect(pane.server.received("createTask")).toMatchObject([
      { body: { title: "Call about the budget", dueAt: new Date(2027, 0, 4, 9).toISOString() } },
    ]);
  });
});

describe("open tasks", () => {
  const contract = taskOf({ id: id(1), title: "Send the contract", dueAt: "2026-12-01T09:00:00.000Z" });

  it("marks a task done with one click, sending the version it was read at", async () => {
    const pane = setup({ tasks: [contract] });
    await openAnna(pane);
    const box = (await screen.findByRole("checkbox", {
      name: "Mark “Send the contract” done",
    })) as HTMLInputElement;
    expect([box.checked, box.disabled]).toEqual([false, false]);

    const release = pane.server.hold("updateTask");
    fireEvent.click(box);
    // Done at once, and not clickable again while it is sent.
    await waitFor(() => expect([box.checked, box.disabled]).toEqual([true, true]));
    expect(pane.calls.filter((c) => c.name === "updateTask").map((c) => c.input)).toEqual([
      { params: { id: contract.id }, body: { done: true, version: 1 } },
    ]);

    release();
    // The server has it done: read again, it is no longer open, and the history says so.
    expect(await screen.findByText("No open tasks")).toBeTruthy();
    await waitFor(() => expect(historyRows()).toContain("Done: Send the contract"));
    expect(pane.server.received("updateTask")).toHaveLength(1);
  });

  it("keeps a task marked done offline checked, also in a reopened pane, and sends it when Rapport is back", async () => {
    const pane = setup({ tasks: [contract] });
    await openAnna(pane);
    pane.server.reachable = false;
    fireEvent.click(await screen.findByRole("checkbox", { name: "Mark “Send the contract” done" }));
    expect(await screen.findByText("Waiting to be sent when Rapport is back: 1")).toBeTruthy();
    const box = screen.getByRole("checkbox", { name: "Mark “Send the contract” done" }) as HTMLInputElement;
    expect([box.checked, box.disabled]).toEqual([true, true]);

    pane.reopen();
    expect(await screen.findByText(/^Rapport cannot be reached: showing what it knew on /)).toBeTruthy();
    const kept = screen.getByRole("checkbox", { name: "Mark “Send the contract” done" }) as HTMLInputElement;
    expect([kept.checked, kept.disabled]).toEqual([true, true]);

    pane.server.reachable = true;
    fireEvent.click(screen.getByRole("button", { name: "Send now" }));
    expect(await screen.findByText("No open tasks")).toBeTruthy();
    expect(pane.server.received("updateTask")).toEqual([
      { params: { id: contract.id }, body: { done: true, version: 1 } },
    ]);
  });

  it("undoes a done queued offline that the server then refuses, says why, and lets the rep try again", async () => {
    const pane = setup({ tasks: [contract] });
    await openAnna(pane);
    pane.server.reachable = false;
    fireEvent.click(await screen.findByRole("checkbox", { name: "Mark “Send the contract” done" }));
    expect(await screen.findByText("Waiting to be sent when Rapport is back: 1")).toBeTruthy();

    // A colleague deleted the task meanwhile: once Rapport is back, the server refuses the queued "done".
    pane.server.tasks.delete(contract.id);
    pane.server.reachable = true;
    fireEvent.click(screen.getByRole("button", { name: "Send now" }));
    expect(await screen.findByText(/^Not saved: Done: Send the contract\./)).toBeTruthy();
    const box = screen.getByRole("checkbox", { name: "Mark “Send the contract” done" }) as HTMLInputElement;
    await waitFor(() => expect([box.checked, box.disabled]).toEqual([false, false]));

    fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(screen.queryByText(/^Not saved:/)).toBeNull());
    expect([box.checked, box.disabled]).toEqual([false, false]);
  });
});

describe("history", () => {
  const at = (n: number) => new Date(Date.parse("2026-11-19T12:00:00.000Z") - n * 3_600_000).toISOString();
  const note = (n: number, text: string) => ({
    type: "interaction" as const,
    at: at(n),
    interaction: interactionOf({ id: id(n), kind: "note", body: text, occurredAt: at(n) }),
  });
  // Newest first: 20 on the first page (the pane asks for 20 at a time), 5 on the second.
  const history: z.input<typeof Timeline>["items"] = [
    {
      type: "interaction",
      at: at(0),
      interaction: interactionOf({
        id: id(0),
        kind: "email",
        direction: "in",
        subject: "Re: Renewal terms",
        body: "Looks good",
        occurredAt: at(0),
      }),
    },
    {
      type: "stage_change",
      at: at(1),
      stageChange: {
        id: id(1),
        dealId: fabrikamRenewal.id,
        dealName: "Fabrikam renewal",
        fromStage: { id: stage.id, name: "Proposal" },
        toStage: { id: negotiation.id, name: "Negotiation" },
        changedBy: null,
        changedAt: at(1),
        source: "pane",
      },
    },
    { type: "task", at: at(2), task: taskOf({ id: id(2), title: "Send the contract", createdAt: at(2) }) },
    ...Array.from({ length: 17 }, (_, i) => note(i + 3, `Check-in ${i + 3}`)),
    {
      type: "interaction",
      at: at(20),
      interaction: interactionOf({
        id: id(20),
        kind: "call",
        direction: "out",
        outcome: "no_answer",
        body: "Tried her mobile\nand her desk",
        occurredAt: at(20),
      }),
    },
    {
      type: "task",
      at: at(21),
      task: taskOf({ id: id(21), title: "Book the kickoff", done: true, doneAt: at(20), createdAt: at(21) }),
    },
    {
      type: "stage_change",
      at: at(22),
      stageChange: {
        id: id(22),
        dealId: fabrikamRenewal.id,
        dealName: "Fabrikam renewal",
        fromStage: null,
        toStage: { id: stage.id, name: "Proposal" },
        changedBy: null,
        changedAt: at(22),
        source: "api",
      },
    },
    note(23, "Check-in 23"),
    note(24, "Met at the fair"),
  ];
  const firstPage = [
    "Email · Re: Renewal terms",
    "Fabrikam renewal: Proposal → Negotiation",
    "Task: Send the contract",
    ...Array.from({ length: 17 }, (_, i) => `Note · Check-in ${i + 3}`),
  ];
  const secondPage = [
    "Call · No answer · Tried her mobile",
    "Done: Book the kickoff",
    "Fabrikam renewal opened in Proposal",
    "Note · Check-in 23",
    "Note · Met at the fair",
  ];

  it("shows the first page, and the next one after it on 'Show more', until there is no more", async () => {
    const pane = setup({ history });
    await openAnna(pane);
    await waitFor(() => expect(historyRows()).toEqual(firstPage));
    const timelineCalls = () => pane.calls.filter((c) => c.name === "contactTimeline");
    expect(timelineCalls().map((c) => c.input)).toEqual([
      { params: { id: anna.id }, query: { cursor: undefined, limit: 20 } },
    ]);
    const cursor = (timelineCalls()[0]?.answer as { nextCursor: string | null }).nextCursor;
    expect(typeof cursor).toBe("string");

    fireEvent.click(screen.getByRole("button", { name: "Show more" }));
    await waitFor(() => expect(historyRows()).toEqual([...firstPage, ...secondPage]));
    expect(timelineCalls().map((c) => c.input)).toEqual([
      { params: { id: anna.id }, query: { cursor: undefined, limit: 20 } },
      { params: { id: anna.id }, query: { cursor, limit: 20 } },
    ]);
    expect(screen.queryByRole("button", { name: "Show more" })).toBeNull();
  });

  it("offers no more when everything fits on one page", async () => {
    const pane = setup({ history: history.slice(0, 3) });
    await openAnna(pane);
    await waitFor(() => expect(historyRows()).toEqual(firstPage.slice(0, 3)));
    expect(screen.queryByRole("button", { name: "Show more" })).toBeNull();
  });
});

describe("offline", () => {
  it("keeps a note made offline, shows it as waiting, and sends it once, with the same id, on 'Send now'", async () => {
    const pane = setup();
    await openAnna(pane);
    await waitFor(() => expect(pane.server.received("contactTimeline")).toHaveLength(1));
    pane.server.reachable = false;

    const form = await quickAction("Note");
    fireEvent.change(within(form).getByRole("textbox"), { target: { value: "Wants a three-year deal" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect((await screen.findByRole("status")).textContent).toBe("Saved here; sent when Rapport is back");
    expect(screen.getByText("Waiting to be sent when Rapport is back: 1")).toBeTruthy();
    const history = screen.getByRole("region", { name: "History" });
    const row = within(history).getByText("Note: Wants a three-year deal").closest("li") as HTMLElement;
    expect(within(row).getByText("Waiting to send")).toBeTruthy();

    const attempts = pane.calls.filter((c) => c.name === "createNote");
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((c) => !c.reached)).toBe(true);
    const { id: madeOffline } = (attempts[0]?.input as { body: { id: string } }).body;
    expect(madeOffline).toMatch(UUID);

    const backAt = pane.calls.length;
    pane.server.reachable = true;
    fireEvent.click(screen.getByRole("button", { name: "Send now" }));
    await waitFor(() => expect(screen.queryByText(/^Waiting to be sent when Rapport is back/)).toBeNull());
    const resent = pane.calls.slice(backAt).filter((c) => c.name === "createNote");
    expect(resent.map((c) => c.input)).toEqual([
      { body: { id: madeOffline, kind: "note", contactId: anna.id, body: "Wants a three-year deal" } },
    ]);
    expect([...pane.server.notes.keys()]).toEqual([madeOffline]);
    // The history now has it from the server, no longer waiting.
    await waitFor(() => expect(historyRows()).toEqual(["Note · Wants a three-year deal"]));
    expect(within(history).queryByText("Waiting to send")).toBeNull();
  });

  it("logs a sent copy with the Rapport key it was logged under on send, so the server joins the two", async () => {
    const key = "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4b01";
    const sentCopy = { ...(inbox[0] as (typeof inbox)[number]), id: "sent-copy", rapportKey: key };
    const pane = setup({ messages: [...inbox, sentCopy] });
    act(() => pane.mailbox.select("sent-copy"));
    fireEvent.click(await screen.findByRole("button", { name: "Log this email" }));
    expect(await screen.findByRole("button", { name: "Logged · Fabrikam renewal" })).toBeTruthy();
    expect(pane.server.received("logEmail")).toMatchObject([
      { body: { internetMessageId: "<q3@fabrikam.example>", rapportKey: key } },
    ]);
  });

  it("logs the email when Rapport is back, and says so meanwhile", async () => {
    const pane = setup();
    await openAnna(pane);
    pane.server.reachable = false;
    fireEvent.click(screen.getByRole("button", { name: "Log this email" }));
    const waiting = await screen.findByRole("button", { name: "Logs when Rapport is back" });
    expect((waiting as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Waiting to be sent when Rapport is back: 1")).toBeTruthy();
    const row = within(screen.getByRole("region", { name: "History" }))
      .getByText("Proposal for Q3")
      .closest("li") as HTMLElement;
    expect(within(row).getByText("Waiting to send")).toBeTruthy();

    pane.server.reachable = true;
    fireEvent.click(screen.getByRole("button", { name: "Send now" }));
    expect(await screen.findByRole("button", { name: "Logged · Fabrikam renewal" })).toBeTruthy();
    expect(pane.server.received("logEmail")).toMatchObject([
      { body: { internetMessageId: "<q3@fabrikam.example>" } },
    ]);
  });

  it("shows the profiles seen before, marked as kept, when a reopened pane cannot reach Rapport", async () => {
    const pane = setup({ messages: [...inbox, withNewcomer] });
    await openAnna(pane);
    act(() => pane.mailbox.select("stranger"));
    expect(await screen.findByText("Not in Rapport yet")).toBeTruthy();

    pane.server.reachable = false;
    pane.reopen();
    act(() => pane.mailbox.select("known"));
    expect(await screen.findByText("Anna Berg")).toBeTruthy();
    expect(screen.getByText(/^Rapport cannot be reached: showing what it knew on /)).toBeTruthy();
    expect(screen.getByText("Fabrikam renewal")).toBeTruthy();
    expect(screen.getByText("Customer")).toBeTruthy();

    // Anna was seen, Per never: his tab says there is nothing to show, and offers no form to add him.
    act(() => pane.mailbox.select("newcomer"));
    fireEvent.click(await screen.findByRole("tab", { name: "per@litware.example" }));
    expect(await screen.findByText("Not available while Rapport cannot be reached.")).toBeTruthy();
    expect(screen.getByText(/^Rapport cannot be reached: showing what it knew on /)).toBeTruthy();
    expect(screen.queryByRole("form", { name: "Add to Rapport" })).toBeNull();
  });
});

describe("compose", () => {
  it("looks up the recipients as they are added, and offers no logging for a draft", async () => {
    const pane = setup({ messages: [...inbox, draft] });
    act(() => pane.mailbox.select("draft"));
    expect(await screen.findByText("Add recipients to see who they are.")).toBeTruthy();
    expect(pane.calls.some((c) => c.name === "lookupPeople")).toBe(false);

    act(() =>
      pane.mailbox.updateDraft("draft", {
        to: [{ address: "anna@fabrikam.example", name: "Anna Berg" }],
        cc: [],
      }),
    );
    expect(await screen.findByText("Anna Berg")).toBeTruthy();
    expect(screen.queryByText("Add recipients to see who they are.")).toBeNull();
    expect(pane.server.received("lookupPeople")).toEqual([
      { query: { email: ['"Anna Berg" <anna@fabrikam.example>'] } },
    ]);
    expect(screen.queryByRole("button", { name: "Log this email" })).toBeNull();
    expect(screen.getByRole("button", { name: "Note" })).toBeTruthy();
  });

  it("keeps the rep's 'log this email when it is sent' with the draft, for the on-send handler", async () => {
    const pane = setup({
      messages: [...inbox, { ...draft, to: [{ address: "anna@fabrikam.example", name: "Anna Berg" }] }],
    });
    act(() => pane.mailbox.select("draft"));
    const toggle = (await screen.findByRole("switch", {
      name: "Log this email when it is sent",
    })) as HTMLInputElement;
    await waitFor(() => expect(toggle.disabled).toBe(false));
    expect(toggle.checked).toBe(false);
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.checked).toBe(true));
    expect(await pane.mailbox.readLogOnSend()).toBe(true);
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.checked).toBe(false));
    expect(await pane.mailbox.readLogOnSend()).toBe(false);
  });
});

describe("theme", () => {
  it("follows Outlook's theme as the rep switches it", async () => {
    const pane = setup();
    expect(await screen.findByText("Select an email to see who it is from.")).toBeTruthy();
    const provider = document.querySelector(".fui-FluentProvider") as HTMLElement;
    const background = () => getComputedStyle(provider).getPropertyValue("--colorNeutralBackground1");
    expect(background()).toBe(webLightTheme.colorNeutralBackground1);

    act(() => pane.mailbox.setDark(true));
    expect(background()).toBe(webDarkTheme.colorNeutralBackground1);
    act(() => pane.mailbox.setDark(false));
    expect(background()).toBe(webLightTheme.colorNeutralBackground1);
  });

  it("opens dark in a dark Outlook", async () => {
    setup({ prefersDark: true });
    expect(await screen.findByText("Select an email to see who it is from.")).toBeTruthy();
    const provider = document.querySelector(".fui-FluentProvider") as HTMLElement;
    expect(getComputedStyle(provider).getPropertyValue("--colorNeutralBackground1")).toBe(
      webDarkTheme.colorNeutralBackground1,
    );
  });
});

describe("lifecycle badge, phones and owner", () => {
  it("says Customer in English, offers the phone to call, and names the owner (the rep: you)", async () => {
    const pane = setup();
    await openAnna(pane);
    expect(screen.getByText("Customer")).toBeTruthy();
    expect(screen.queryByText("lifecycle_customer")).toBeNull();
    expect(screen.getByRole("link", { name: "+46 70 123 45 67" }).getAttribute("href")).toBe(
      "tel:+46701234567",
    );
    expect(screen.getByText("Owner: you")).toBeTruthy();
  });

  it("says Kund in Swedish", async () => {
    const pane = setup({ language: "sv-SE" });
    act(() => pane.mailbox.select("known"));
    expect(await screen.findByText("Anna Berg")).toBeTruthy();
    expect(screen.getByText("Kund")).toBeTruthy();
    expect(screen.queryByText("Customer")).toBeNull();
  });
});

describe("several known people on one email", () => {
  // Each person's view is keyed by their id: a form opened on one tab must never save for the person of another.
  it("starts each person's quick actions afresh: a form opened for one is not saved for another", async () => {
    const pane = setup({ messages: [...inbox, withErik], contacts: [erik] });
    act(() => pane.mailbox.select("erik"));
    expect(await screen.findByRole("tab", { name: "Erik Holm" })).toBeTruthy();
    const form = await quickAction("Follow-up");
    expect((within(form).getByLabelText(/^Task/) as HTMLInputElement).value).toBe("Follow up with Anna");

    fireEvent.click(screen.getByRole("tab", { name: "Erik Holm" }));
    expect(await screen.findByText("Procurement")).toBeTruthy();
    // Erik's profile starts with no form open; opening one names him.
    expect(screen.queryByDisplayValue("Follow up with Anna")).toBeNull();
    expect((within(await quickAction("Follow-up")).getByLabelText(/^Task/) as HTMLInputElement).value).toBe(
      "Follow up with Erik",
    );
  });
});

describe("adding someone from the rep's own Outlook contact", () => {
  it("fills the form from the rep's Outlook contact first, the signature after", async () => {
    const asked: string[] = [];
    const pane = setup({
      outlookContacts: {
        async find(address: string) {
          asked.push(address);
          return {
            displayName: "Jonas Lind (Northwind)",
            jobTitle: "Sales Director",
            companyName: null,
            phones: ["+47 400 00 000"],
          };
        },
      },
    });
    act(() => pane.mailbox.select("stranger"));
    const form = await screen.findByRole("form", { name: "Add to Rapport" });
    expect((within(form).getByLabelText(/^Name/) as HTMLInputElement).value).toBe("Jonas Lind (Northwind)");
    expect((within(form).getByLabelText(/^Title/) as HTMLInputElement).value).toBe("Sales Director");
    expect((within(form).getByLabelText(/^Phone/) as HTMLInputElement).value).toBe("+47 400 00 000");
    // Nothing in Outlook about the company: the signature's.
    expect((within(form).getByLabelText(/^Company/) as HTMLInputElement).value).toBe("Northwind Traders");
    expect(asked).toEqual(["jonas@northwind.example"]);
  });

  it("fills it from the email alone when Outlook's contacts cannot be read", async () => {
    const pane = setup({
      outlookContacts: {
        async find() {
          throw new Error("Graph: 403 Forbidden");
        },
      },
    });
    act(() => pane.mailbox.select("stranger"));
    const form = await screen.findByRole("form", { name: "Add to Rapport" });
    expect((within(form).getByLabelText(/^Title/) as HTMLInputElement).value).toBe("Head of Sales");
  });
});
