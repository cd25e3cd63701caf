/**
 * @jest-environment jsdom
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import type { z } from "zod";
import { ApiError, type ApiClient } from "../../src/addin/api/client";
import { type SimulatedMessage, createSimulatedMailbox } from "../../src/addin/office/simulated-mailbox";
import { memoryStorage } from "../../src/addin/api/storage";
import { App } from "../../src/addin/taskpane/App";
import { createServices } from "../../src/addin/taskpane/services";
import { Company } from "../../src/shared/companies";
import { Contact } from "../../src/shared/contacts";
import { DealWithStage } from "../../src/shared/deals";
import { Problem } from "../../src/shared/errors";
import { LoggedEmail } from "../../src/shared/interactions";
import { PipelineList } from "../../src/shared/pipelines";
import { LookupResponse } from "../../src/shared/people";

const now = "2026-11-20T09:30:00.000Z";
const pipelineId = "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a02";
const stage = {
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a01",
  pipelineId,
  name: "Proposal",
  position: 2,
  probability: 50,
  kind: "open" as const,
};
const negotiation = {
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a06",
  pipelineId,
  name: "Negotiation",
  position: 3,
  probability: 75,
  kind: "open" as const,
};
const won = {
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a07",
  pipelineId,
  name: "Won",
  position: 4,
  probability: 100,
  kind: "won" as const,
};
const anna = {
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a03",
  displayName: "Anna Berg",
  firstName: "Anna",
  lastName: "Berg",
  title: "CFO",
  emails: ["anna@fabrikam.example"],
  phones: ["+46 70 123 45 67"],
  companyId: null,
  lifecycleStage: "customer" as const,
  tags: ["key account"],
  ownerId: null,
  source: "manual",
  customFields: {},
  createdAt: now,
  updatedAt: now,
  version: 1,
  company: null,
  openDeals: [
    {
      id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a04",
      name: "Fabrikam renewal",
      amount: 12000,
      currency: "EUR",
      expectedCloseDate: null,
      companyId: null,
      contactIds: ["6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a03"],
      ownerId: null,
      pipelineId: stage.pipelineId,
      stageId: stage.id,
      status: "open" as const,
      closedAt: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
      stage,
    },
  ],
  openTasks: [],
  recentInteractions: [],
};

const inbox: SimulatedMessage[] = [
  {
    id: "known",
    internetMessageId: "<q3@fabrikam.example>",
    conversationId: "c1",
    subject: "Proposal for Q3",
    from: { address: "anna@fabrikam.example", name: "Anna Berg" },
    to: [{ address: "rita@contoso.example", name: "Rita" }],
    cc: [],
    sentAt: now,
    mode: "read",
    bodyText: "Hi Rita",
  },
  {
    id: "stranger",
    internetMessageId: "<hello@northwind.example>",
    conversationId: "c2",
    subject: "Hello",
    from: { address: "Jonas@northwind.example", name: "Jonas Lind" },
    to: [{ address: "rita@contoso.example", name: "Rita" }],
    cc: [],
    sentAt: now,
    mode: "read",
    bodyText:
      "Hello Rita,\n\nlet us talk.\n\nBest regards\nJonas Lind\nHead of Sales | Northwind Traders\nTel: +47 912 34 567",
  },
];

/** Answers as the server would, each answer first checked against the contract's schema. */
function fakeApi(
  options: { failLookups?: number; movedMeanwhileTo?: typeof won; secondDeal?: boolean } = {},
) {
  const calls: { name: string; input: unknown }[] = [];
  let failures = options.failLookups ?? 0;
  let logged = false;
  let added: z.input<typeof Contact> | null = null;
  let deal: z.input<typeof DealWithStage> = anna.openDeals[0] as z.input<typeof DealWithStage>;
  const answer = <T extends z.ZodType>(schema: T, value: z.input<T>) => schema.parse(value);
  const api = (async (
    name: string,
    input: { query?: { email?: string[] }; body?: { stageId?: string; version?: number } },
  ) => {
    calls.push({ name, input });
    if (name === "lookupPeople") {
      if (failures-- > 0) throw new ApiError(0, null);
      const results = (input.query?.email ?? []).map((value) => {
        const email = (/<([^>]+)>/.exec(value)?.[1] ?? value).toLowerCase(); // as the server normalises
        if (added && added.emails.includes(email)) {
          return {
            email,
            suggestion: null,
            contact: { ...added, company: null, openDeals: [], openTasks: [], recentInteractions: [] },
          };
        }
        if (email === "anna@fabrikam.example") {
          return {
            email,
            suggestion: null,
            contact: {
              ...anna,
              openDeals: options.secondDeal ? [deal, secondDeal] : [deal],
              recentInteractions: logged ? [loggedInteraction] : [],
            },
          };
        }
        return {
          email,
          contact: null,
          suggestion: {
            email,
            displayName: "Jonas Lind",
            firstName: "Jonas",
            lastName: "Lind",
            domain: "northwind.example",
            freeMail: false,
            internal: false,
            company: null,
          },
        };
      });
      return answer(LookupResponse, { results });
    }
    if (name === "createCompany") {
      const body = input.body as { name: string; domain: string | null };
      return answer(Company, {
        id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a08",
        name: body.name,
        domain: body.domain,
        phone: null,
        website: null,
        address: null,
        ownerId: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
    }
    if (name === "createContact") {
      const body = input.body as {
        displayName: string;
        emails: string[];
        title: string | null;
        phone: string | null;
        companyId: string | null;
      };
      added = answer(Contact, {
        ...anna,
        id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a09",
        displayName: body.displayName,
        emails: body.emails,
        title: body.title,
        phones: body.phone ? [body.phone] : [],
        companyId: body.companyId,
        lifecycleStage: "lead",
        tags: [],
      });
      return added;
    }
    if (name === "listPipelines") {
      return answer(PipelineList, {
        pipelines: [
          { id: pipelineId, name: "Sales", isDefault: true, position: 0, stages: [stage, negotiation, won] },
        ],
      });
    }
    if (name === "moveDealToStage") {
      if (options.movedMeanwhileTo) {
        deal = {
          ...deal,
          stageId: options.movedMeanwhileTo.id,
          stage: options.movedMeanwhileTo,
          version: deal.version + 1,
        };
        throw new ApiError(
          409,
          Problem.parse({
            type: "t",
            title: "t",
            status: 409,
            detail: "changed",
            code: "version_conflict",
            current: deal,
          }),
        );
      }
      const target =
        [stage, negotiation, won].find((s) => s.id === (input.body as { stageId: string }).stageId) ?? stage;
      deal = { ...deal, stageId: target.id, stage: target, version: deal.version + 1 };
      return answer(DealWithStage, deal);
    }
    if (name === "logEmail") {
      logged = true;
      return answer(LoggedEmail, { interaction: loggedInteraction, created: true });
    }
    throw new Error(`unexpected call ${name}`);
  }) as unknown as ApiClient;
  return { api, calls };
}

const secondDeal = {
  ...(anna.openDeals[0] as (typeof anna.openDeals)[number]),
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a10",
  name: "Fabrikam expansion",
};

const loggedInteraction = {
  id: "6f1d3c2a-6a55-4d4e-9a0e-5b7c2f0e4a05",
  kind: "email" as const,
  direction: "in" as const,
  occurredAt: now,
  subject: "Proposal for Q3",
  body: "Hi Rita",
  outcome: null,
  internetMessageId: "<q3@fabrikam.example>",
  conversationId: "c1",
  source: "manual" as const,
  dealId: null,
  loggedBy: [],
  participants: [],
  createdAt: now,
  updatedAt: now,
  version: 1,
};

const setup = (
  options: {
    language?: string;
    failLookups?: number;
    movedMeanwhileTo?: typeof won;
    secondDeal?: boolean;
  } = {},
) => {
  const mailbox = createSimulatedMailbox({
    messages: inbox,
    userAddress: "rita@contoso.example",
    displayLanguage: options.language,
  });
  const { api, calls } = fakeApi(options);
  render(<App services={createServices({ mailbox, api, storage: memoryStorage() })} />);
  return { mailbox, calls };
};

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
    expect(await screen.findByRole("button", { name: "Logged" })).toBeTruthy();
    const logCall = calls.find((c) => c.name === "logEmail");
    expect(logCall?.input).toMatchObject({
      body: {
        internetMessageId: "<q3@fabrikam.example>",
        bodyText: "Hi Rita",
        from: { address: "anna@fabrikam.example" },
      },
    });
  });

  it("links the email to the person's only open deal", async () => {
    const { mailbox, calls } = setup();
    act(() => mailbox.select("known"));
    fireEvent.click(await screen.findByRole("button", { name: "Log this email" }));
    await screen.findByRole("button", { name: "Logged" });
    expect(calls.find((c) => c.name === "logEmail")?.input).toMatchObject({
      body: { dealId: anna.openDeals[0]?.id },
    });
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
    await screen.findByRole("button", { name: "Logged" });
    expect(calls.find((c) => c.name === "logEmail")?.input).toMatchObject({
      body: { dealId: secondDeal.id },
    });
  });

  it("logs with no deal when the rep says so", async () => {
    const { mailbox, calls } = setup({ secondDeal: true });
    act(() => mailbox.select("known"));
    fireEvent.click(await screen.findByRole("button", { name: "Log this email" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "No deal" }));
    await screen.findByRole("button", { name: "Logged" });
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
    const retry = await screen.findByRole("button", { name: "Try again" }, { timeout: 15000 });
    expect(screen.getByText("Rapport cannot be reached. Check your connection and try again.")).toBeTruthy();
    fireEvent.click(retry);
    await waitFor(() => expect(screen.getByText("Anna Berg")).toBeTruthy(), { timeout: 15000 });
  }, 30000);

  it("speaks Swedish in a Swedish Outlook", async () => {
    const { mailbox } = setup({ language: "sv-SE" });
    expect(await screen.findByText("Välj ett mejl för att se vem det kommer från.")).toBeTruthy();
    act(() => mailbox.select("stranger"));
    expect(await screen.findByText("Inte i Rapport än")).toBeTruthy();
  });
});
