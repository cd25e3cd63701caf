/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { SimulatedMessage } from "../../src/addin/office/simulated-mailbox";
import { closePanes, inbox, negotiation, secondDeal, setup, won } from "../helpers/pane-fixtures";

afterEach(closePanes);

describe("the task pane", () => {
  it("asks for an email when none is selected", async () => {
    setup();
    expect(await screen.findByText("Select an email to see who it is from.")).toBeTruthy();
  });

  it("shows the sender's profile with the open deal and its stage, and logs the email in one click", async () => {
    const { mailbox, calls } = setup();
    act(() => mailbox.select("known"));
    expect(await screen.findByText("Anna Berg")).toBeTruthy();
    expect(screen.getByText("Fabrikam renewal")).toBeTruthy();
    expect(screen.getByText("€12,000")).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Stage of Fabrikam renewal" }).textContent).toContain(
      "Proposal",
    );
    expect(screen.getByText("No open tasks")).toBeTruthy();
    expect(calls.filter((c) => c.name === "lookupPeople")[0]?.input).toEqual({
      query: { email: ['"Anna Berg" <anna@fabrikam.example>'] },
    });

    fireEvent.click(screen.getByRole("button", { name: "Log this email" }));
    expect(await screen.findByRole("button", { name: "Logged · Fabrikam renewal" })).toBeTruthy();
    const logCall = calls.find((c) => c.name === "logEmail");
    expect(logCall?.input).toMatchObject({
      body: {
        internetMessageId: "<q3@fabrikam.example>",
        bodyText: "Hi Rita",
        from: { address: "anna@fabrikam.example" },
      },
    });
  });

  it("leaves the deal of a one-click log to the server: the conversation's, else the person's only open deal", async () => {
    const { mailbox, calls } = setup();
    act(() => mailbox.select("known"));
    fireEvent.click(await screen.findByRole("button", { name: "Log this email" }));
    await screen.findByRole("button", { name: "Logged · Fabrikam renewal" });
    // No deal named, so a reply in a thread logged before goes to the thread's deal (test/api/threads.test.ts);
    // the server links the single open deal the pane shows otherwise (test/api/emails.test.ts).
    const body = (calls.find((c) => c.name === "logEmail")?.input as { body: Record<string, unknown> }).body;
    expect(body.dealId).toBeUndefined();
    expect(body.conversationId).toBe("c1");
  });

  it("asks which deal to link when there are several, and never guesses", async () => {
    const { mailbox, calls } = setup({ secondDeal: true });
    act(() => mailbox.select("known"));
    fireEvent.click(await screen.findByRole("button", { name: "Log this email" }));
    expect(calls.some((c) => c.name === "logEmail")).toBe(false);
    expect(await screen.findByText("Link to which deal?")).toBeTruthy();
    expect(screen.getByRole("menuitem", { name: "Fabrikam renewal" })).toBeTruthy();
    expect(screen.getByRole("menuitem", { name: "No deal" })).toBeTruthy();
    fireEvent.click(screen.getByRole("menuitem", { name: "Fabrikam expansion" }));
    await screen.findByRole("button", { name: "Logged · Fabrikam expansion" });
    expect(calls.find((c) => c.name === "logEmail")?.input).toMatchObject({
      body: { dealId: secondDeal.id },
    });
  });

  it("logs with no deal when the rep says so", async () => {
    const { mailbox, calls } = setup({ secondDeal: true });
    act(() => mailbox.select("known"));
    fireEvent.click(await screen.findByRole("button", { name: "Log this email" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "No deal" }));
    await screen.findByRole("button", { name: "Logged · no deal" });
    expect(
      (calls.find((c) => c.name === "logEmail")?.input as { body: { dealId: unknown } }).body.dealId,
    ).toBeNull();
  });

  it("moves a deal to the stage chosen in its dropdown", async () => {
    const { mailbox, calls } = setup();
    act(() => mailbox.select("known"));
    fireEvent.click(await screen.findByRole("combobox", { name: "Stage of Fabrikam renewal" }));
    fireEvent.click(await screen.findByRole("option", { name: "Negotiation" }));
    await waitFor(() =>
      expect(screen.getByRole("combobox", { name: "Stage of Fabrikam renewal" }).textContent).toContain(
        "Negotiation",
      ),
    );
    expect(calls.find((c) => c.name === "moveDealToStage")?.input).toMatchObject({
      body: { stageId: negotiation.id, version: 1, source: "pane" },
    });
  });

  it("says so when someone else moved the deal meanwhile, and shows where it is now", async () => {
    const { mailbox } = setup({ movedMeanwhileTo: won });
    act(() => mailbox.select("known"));
    fireEvent.click(await screen.findByRole("combobox", { name: "Stage of Fabrikam renewal" }));
    fireEvent.click(await screen.findByRole("option", { name: "Negotiation" }));
    expect(await screen.findByText("Someone else moved this deal meanwhile: it is now in Won.")).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByRole("combobox", { name: "Stage of Fabrikam renewal" }).textContent).toContain(
        "Won",
      ),
    );
  });

  it("switches to the next email's people without showing the previous one's", async () => {
    const { mailbox } = setup();
    act(() => mailbox.select("known"));
    expect(await screen.findByText("Anna Berg")).toBeTruthy();
    act(() => mailbox.select("stranger"));
    expect(screen.queryByText("Anna Berg")).toBeNull();
    expect(await screen.findByText("Not in Rapport yet")).toBeTruthy();
    expect(screen.getByText("Jonas Lind")).toBeTruthy();
  });

  it("offers to add an unknown sender with a form filled from the display name and signature, and saves it in one click", async () => {
    const { mailbox, calls } = setup();
    act(() => mailbox.select("stranger"));
    const form = await screen.findByRole("form", { name: "Add to Rapport" });
    // A required field's label reads "Name *": match the start.
    const value = (label: string) =>
      (within(form).getByLabelText(new RegExp(`^${label}`)) as HTMLInputElement).value;
    expect([value("Name"), value("Title"), value("Phone"), value("Company")]).toEqual([
      "Jonas Lind",
      "Head of Sales",
      "+47 91 23 45 67",
      "Northwind Traders",
    ]);
    fireEvent.change(within(form).getByLabelText("Title"), { target: { value: "Sales Director" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add to Rapport" }));
    expect(await screen.findByText("Sales Director")).toBeTruthy();
    expect(calls.find((c) => c.name === "createCompany")?.input).toEqual({
      body: { name: "Northwind Traders", domain: "northwind.example" },
    });
    expect(calls.find((c) => c.name === "createContact")?.input).toMatchObject({
      body: {
        displayName: "Jonas Lind",
        emails: ["jonas@northwind.example"],
        title: "Sales Director",
        phone: "+47 91 23 45 67",
        source: "pane",
      },
    });
  });

  it("asks once for someone whose address Outlook spells two ways, and adds them with the address as their email wrote it", async () => {
    const stranger = inbox.find((m) => m.id === "stranger") as SimulatedMessage;
    const { mailbox, calls } = setup({
      messages: [
        {
          ...stranger,
          id: "idn",
          internetMessageId: "<hello@xn--nrd-sna.example>",
          from: { address: "Jonas@Nörd.example", name: "Jonas Lind" },
          cc: [{ address: "jonas@xn--nrd-sna.example", name: null }],
        },
      ],
    });
    act(() => mailbox.select("idn"));
    const form = await screen.findByRole("form", { name: "Add to Rapport" });
    expect(calls.filter((c) => c.name === "lookupPeople")[0]?.input).toEqual({
      query: { email: ['"Jonas Lind" <Jonas@Nörd.example>'] },
    });
    expect(screen.queryByRole("tablist")).toBeNull();
    fireEvent.click(within(form).getByRole("button", { name: "Add to Rapport" }));
    expect(await screen.findByText("Head of Sales")).toBeTruthy();
    expect(calls.find((c) => c.name === "createCompany")?.input).toEqual({
      body: { name: "Northwind Traders", domain: "nörd.example" },
    });
    expect(calls.find((c) => c.name === "createContact")?.input).toMatchObject({
      body: { displayName: "Jonas Lind", emails: ["jonas@nörd.example"] },
    });
  });

  it("will not add someone without a name", async () => {
    const { mailbox, calls } = setup();
    act(() => mailbox.select("stranger"));
    const form = await screen.findByRole("form", { name: "Add to Rapport" });
    fireEvent.change(within(form).getByLabelText(/^Name/), { target: { value: "  " } });
    fireEvent.click(within(form).getByRole("button", { name: "Add to Rapport" }));
    expect(await screen.findByText("A name is needed.")).toBeTruthy();
    expect(calls.some((c) => c.name === "createContact")).toBe(false);
  });

  it("says when Rapport cannot be reached, and tries again on request", async () => {
    const { mailbox } = setup({ failLookups: 4 });
    act(() => mailbox.select("known"));
    const retry = await screen.findByRole("button", { name: "Try again" });
    expect(screen.getByText("Rapport cannot be reached. Check your connection and try again.")).toBeTruthy();
    fireEvent.click(retry);
    await waitFor(() => expect(screen.getByText("Anna Berg")).toBeTruthy());
  }, 30000);

  it("speaks Swedish in a Swedish Outlook", async () => {
    const { mailbox } = setup({ language: "sv-SE" });
    expect(await screen.findByText("Välj ett mejl för att se vem det kommer från.")).toBeTruthy();
    act(() => mailbox.select("stranger"));
    expect(await screen.findByText("Inte i Rapport än")).toBeTruthy();
  });
});
