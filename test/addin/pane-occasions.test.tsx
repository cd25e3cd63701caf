/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from "@testing-library/react";
import type { OccasionMail } from "../../src/shared/occasions";
import { anna, closePanes, setup } from "../helpers/pane-fixtures";

afterEach(closePanes);

const mail = (n: number, fields: Partial<OccasionMail>): OccasionMail => ({
  id: `7a000000-0000-4000-8000-00000000000${n}`,
  contactId: anna.id,
  contactName: "Anna Berg",
  ruleId: null,
  ruleName: null,
  kind: "birthday",
  occasionKey: "birthday:2026",
  day: new Date().toISOString().slice(0, 10),
  mode: "draft",
  state: "drafted",
  reason: null,
  unfilled: [],
  dealId: null,
  ...fields,
});

describe("occasion mails on the pane's Today", () => {
  it("says how many birthday mails are ready, lists each, and opens its contact", async () => {
    setup({
      occasionMails: [
        mail(1, {}),
        mail(2, { contactName: "Bo Ek", state: "sent" }),
        mail(3, { contactName: "Cleo Day" }),
        mail(4, { contactName: "Dan Dahl", state: "held", unfilled: ["company.name"] }),
      ],
    });
    const section = await screen.findByRole("region", { name: "Occasion mails (4)" });
    expect(within(section).getByText("3 birthday mails ready")).toBeTruthy();
    expect(within(section).getByText("Draft waiting for: company.name")).toBeTruthy();
    expect(within(section).getAllByText("Draft in your mailbox")).toHaveLength(2);
    fireEvent.click(within(section).getByText("Anna Berg"));
    expect(await screen.findByRole("button", { name: "Back to Today" })).toBeTruthy();
  }, 60_000);

  it("says so when there are none, in Swedish too", async () => {
    setup({ language: "sv-SE" });
    expect(await screen.findByText("Inga högtidsmejl idag")).toBeTruthy();
  }, 60_000);
});
