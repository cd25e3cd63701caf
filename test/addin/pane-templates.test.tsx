/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { z } from "zod";
import type { SimulatedMessage } from "../../src/addin/office/simulated-mailbox";
import type { Template } from "../../src/shared/templates";
import { anna, closePanes, fabrikamRenewal, now, setup } from "../helpers/pane-fixtures";

afterEach(closePanes);

const templateOf = (
  n: number,
  name: string,
  variant: { subject: string; html: string },
  folder: string | null = null,
): z.input<typeof Template> => ({
  id: `7b000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  name,
  folder,
  tags: [],
  scope: "personal",
  ownerId: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a99",
  createdBy: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a99",
  archived: false,
  archivedAt: null,
  variants: { en: variant },
  createdAt: now,
  updatedAt: now,
  version: 1,
});

const followUp = templateOf(1, "Follow-up after the demo", {
  subject: "About {{deal.name}}",
  html: "<p>Hi {{contact.firstName}},</p><p>Thanks for your time.</p><p>{{rep.name}}, {{rep.title}}</p>",
});
const offer = templateOf(
  2,
  "Offer",
  { subject: "Our offer", html: "<p>Dear {{contact.firstName}}, here is our offer.</p>" },
  "Sales",
);

/** A new email to Anna with no subject yet, and one to someone Rapport does not know. */
const toAnna: SimulatedMessage = {
  id: "to-anna",
  internetMessageId: null,
  conversationId: null,
  subject: "",
  from: null,
  to: [{ address: "anna@fabrikam.example", name: "Anna Berg" }],
  cc: [],
  sentAt: null,
  mode: "compose",
  bodyText: "",
  bodyHtml: "<p>Hello</p>",
};
const toStranger: SimulatedMessage = {
  ...toAnna,
  id: "to-stranger",
  subject: "Intro",
  to: [{ address: "per@litware.example", name: "Per Sund" }],
};

function compose(templates = [followUp, offer], message = toAnna) {
  const pane = setup({ templates, messages: [message] });
  act(() => pane.mailbox.select(message.id));
  return pane;
}

const templateList = async () => within(await screen.findByRole("list", { name: "Templates" }));
const draft = (pane: ReturnType<typeof setup>, id = "to-anna") =>
  pane.mailbox.messages().find((m) => m.id === id) as SimulatedMessage;

describe("templates in compose", () => {
  it("lists the rep's templates as the server orders them (recently used first), asking for that order", async () => {
    const pane = compose();
    const list = await templateList();
    expect(list.getAllByRole("button").map((b) => b.textContent)).toEqual([
      "Follow-up after the demo",
      "Offer · Sales",
    ]);
    expect(pane.server.received("listTemplates")).toEqual([
      { query: expect.objectContaining({ order: "recent" }) },
    ]);
  });

  it("searches the templates as the rep types", async () => {
    const pane = compose();
    await templateList();
    fireEvent.change(screen.getByRole("searchbox", { name: "Search templates" }), {
      target: { value: "offer" },
    });
    await waitFor(
      async () =>
        expect((await templateList()).getAllByRole("button").map((b) => b.textContent)).toEqual([
          "Offer · Sales",
        ]),
      // The search waits for a pause in typing; the limit is for a busy machine, not a speed check.
      { timeout: 10_000 },
    );
    expect(pane.server.received("listTemplates")).toContainEqual({
      query: expect.objectContaining({ q: "offer", order: "recent" }),
    });
    fireEvent.change(screen.getByRole("searchbox", { name: "Search templates" }), {
      target: { value: "nothing like it" },
    });
    expect(
      await screen.findByText("No template matches “nothing like it”.", undefined, { timeout: 10_000 }),
    ).toBeTruthy();
  });

  it("says where templates are made when the rep has none", async () => {
    compose([]);
    expect(await screen.findByText(/No templates yet\. Create them in the web app\./)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Open templates in Rapport" }).getAttribute("href")).toBe(
      "/app/templates",
    );
  });

  it("previews a template filled in for the recipient, naming the fields that have no value", async () => {
    const pane = compose();
    fireEvent.click((await templateList()).getByRole("button", { name: "Follow-up after the demo" }));
    expect(await screen.findByText("Filled in for Anna Berg")).toBeTruthy();
    expect(screen.getByText(`Subject: About ${fabrikamRenewal.name}`)).toBeTruthy();
    expect(
      screen.getByText(
        "Fields with no value (1): rep.title. They are marked in the text; fill them in before sending.",
      ),
    ).toBeTruthy();
    const frame = screen.getByTitle("Preview of Follow-up after the demo") as HTMLIFrameElement;
    // A frame that runs nothing: no script, no form, no top navigation.
    expect(frame.getAttribute("sandbox")).toBe("");
    expect(frame.getAttribute("srcdoc")).toContain("<p>Hi Anna,</p>");
    expect(frame.getAttribute("srcdoc")).toContain(
      '<mark data-rapport-unfilled="rep.title">[rep.title]</mark>',
    );
    expect(pane.server.received("renderTemplate")).toEqual([
      {
        params: { id: followUp.id },
        body: { contactId: anna.id, timeZone: expect.any(String) },
      },
    ]);
  });

  it("inserts the filled template at the cursor, sets the empty subject and remembers the template for the log", async () => {
    const pane = compose();
    fireEvent.click((await templateList()).getByRole("button", { name: "Follow-up after the demo" }));
    fireEvent.click(await screen.findByRole("button", { name: "Insert into the email" }));
    expect(await screen.findByText("Inserted into the email")).toBeTruthy();
    const sent = draft(pane);
    expect(sent.bodyHtml).toBe(
      "<p>Hello</p><p>Hi Anna,</p><p>Thanks for your time.</p>" +
        '<p>Rita Rep, <mark data-rapport-unfilled="rep.title">[rep.title]</mark></p>',
    );
    expect(sent.bodyText).toBe("Hi Anna,\nThanks for your time.\nRita Rep, [rep.title]");
    expect(sent.subject).toBe(`About ${fabrikamRenewal.name}`);
    expect(await pane.mailbox.readInsertedTemplate()).toBe(followUp.id);
  });

  it("keeps a subject the rep wrote", async () => {
    const pane = compose(undefined, { ...toAnna, subject: "My own words" });
    fireEvent.click((await templateList()).getByRole("button", { name: "Offer · Sales" }));
    fireEvent.click(await screen.findByRole("button", { name: "Insert into the email" }));
    await screen.findByText("Inserted into the email");
    expect(draft(pane).subject).toBe("My own words");
    expect(draft(pane).bodyHtml).toBe("<p>Hello</p><p>Dear Anna, here is our offer.</p>");
  });

  it("shows a failed preview with a way to try again", async () => {
    const pane = compose();
    const list = await templateList();
    pane.server.reachable = false;
    fireEvent.click(list.getByRole("button", { name: "Offer · Sales" }));
    expect(await screen.findByText(/Rapport cannot be reached/, undefined, { timeout: 15_000 })).toBeTruthy();
    pane.server.reachable = true;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Filled in for Anna Berg")).toBeTruthy();
  }, 30_000);

  it("fills nothing in for a recipient Rapport does not know, and says why", async () => {
    const pane = compose(undefined, toStranger);
    fireEvent.click((await templateList()).getByRole("button", { name: "Offer · Sales" }));
    expect(
      await screen.findByText("Add a recipient who is in Rapport to fill in a template for them."),
    ).toBeTruthy();
    expect(pane.server.received("renderTemplate")).toEqual([]);
  });

  it("makes no survey link for a draft to several people: one contact's link would let each answer as them", async () => {
    const survey = templateOf(3, "How did we do?", {
      subject: "How did we do?",
      html: "<p>Hi {{contact.firstName}}, tell us: {{survey.nps}}</p>",
    });
    const pane = compose([survey], {
      ...toAnna,
      id: "to-both",
      cc: [{ address: "per@litware.example", name: "Per Sund" }],
    });
    fireEvent.click((await templateList()).getByRole("button", { name: "How did we do?" }));
    expect(await screen.findByText("Filled in for Anna Berg")).toBeTruthy();
    expect(pane.server.received("renderTemplate")).toEqual([
      {
        params: { id: survey.id },
        body: { contactId: anna.id, timeZone: expect.any(String), surveyLinks: false },
      },
    ]);
    expect(
      screen.getByText(
        "Fields with no value (1): survey.nps. They are marked in the text; fill them in before sending.",
      ),
    ).toBeTruthy();
  });

  it("makes the survey link for a draft to one person", async () => {
    const survey = templateOf(3, "How did we do?", {
      subject: "How did we do?",
      html: "<p>Hi {{contact.firstName}}, tell us: {{survey.nps}}</p>",
    });
    const pane = compose([survey]);
    fireEvent.click((await templateList()).getByRole("button", { name: "How did we do?" }));
    expect(await screen.findByText("Filled in for Anna Berg")).toBeTruthy();
    expect(screen.getByText("Every field has a value.")).toBeTruthy();
    expect(pane.server.received("renderTemplate")).toEqual([
      { params: { id: survey.id }, body: { contactId: anna.id, timeZone: expect.any(String) } },
    ]);
  });

  it("speaks the rep's language", async () => {
    const pane = setup({ templates: [offer], messages: [toAnna], language: "sv-SE" });
    act(() => pane.mailbox.select("to-anna"));
    fireEvent.click(
      await within(await screen.findByRole("list", { name: "Mallar" })).findByRole("button", {
        name: "Offer · Sales",
      }),
    );
    fireEvent.click(await screen.findByRole("button", { name: "Infoga i mejlet" }));
    expect(await screen.findByText("Infogad i mejlet")).toBeTruthy();
  });
});
