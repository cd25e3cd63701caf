/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { OccasionMail } from "../../src/shared/occasions";
import { contact, fakeWebServer, ids, now, renderWebApp } from "../helpers/webapp-fixtures";

const mail = (n: number, fields: Partial<OccasionMail>): OccasionMail => ({
  id: `7a000000-0000-4000-8000-00000000000${n}`,
  contactId: `7b000000-0000-4000-8000-00000000000${n}`,
  contactName: `Guest ${n}`,
  ruleId: null,
  ruleName: null,
  kind: "birthday",
  occasionKey: "birthday:2026",
  day: now.slice(0, 10),
  mode: "draft",
  state: "drafted",
  reason: null,
  unfilled: [],
  dealId: null,
  ...fields,
});

// The first test of a page compiles its chunks, on a machine shared with other suites: time enough, not a speed check.
jest.setTimeout(180_000);

describe("occasion mails in the web app", () => {
  it("says on Today how many birthday mails are ready, and lists each with where it stands", async () => {
    const server = fakeWebServer();
    server.occasionMails = [
      mail(1, { contactName: "Anna Berg" }),
      mail(2, { contactName: "Bo Ek", state: "sent", mode: "send" }),
      mail(3, { contactName: "Cleo Day" }),
      mail(4, { contactName: "Dan Dahl", state: "held", unfilled: ["company.name"] }),
      mail(5, { contactName: "Eva Quiet", state: "skipped", reason: "no_automated_mail" }),
      mail(6, { contactName: "Lars Lund", kind: "won_deal", occasionKey: "won:x:1y" }),
    ];
    renderWebApp(server);
    expect(await screen.findByText("3 birthday mails ready")).toBeTruthy();
    expect(screen.getByText("1 won-deal mails ready")).toBeTruthy();
    expect(screen.getByText("1 held: a field is empty")).toBeTruthy();
    const list = screen.getByRole("list", { name: "Today's occasion mails" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(6);
    expect(within(items[3] as HTMLElement).getByText("Empty fields: company.name")).toBeTruthy();
    expect(within(items[4] as HTMLElement).getByText("The contact wants no automated mail")).toBeTruthy();
    expect(
      within(items[0] as HTMLElement)
        .getByRole("link", { name: "Anna Berg" })
        .getAttribute("href"),
    ).toBe(`/app/contacts/${server.occasionMails[0]?.contactId}`);
  });

  it("says so when there are none today", async () => {
    renderWebApp(fakeWebServer());
    expect(await screen.findByText("No occasion mails today.")).toBeTruthy();
  });

  it("lets an admin create a rule for everyone, and each rep turn sending from their own mailbox on", async () => {
    const server = fakeWebServer();
    server.templates = [
      {
        id: "7c000000-0000-4000-8000-000000000001",
        name: "Birthday wishes",
        scope: "organization",
        ownerId: null,
        folder: null,
        tags: [],
        archived: false,
        archivedAt: null,
        createdBy: ids.rita,
        variants: { en: { subject: "Happy birthday", html: "<p>All the best</p>" } },
        createdAt: now,
        updatedAt: now,
        version: 1,
      },
    ];
    renderWebApp(server, "/app/settings");
    expect(await screen.findByText("No occasion rules yet.")).toBeTruthy();
    const form = screen.getByRole("form", { name: "New rule" });
    fireEvent.change(within(form).getByRole("textbox", { name: /Name/ }), {
      target: { value: "Anniversaries" },
    });
    fireEvent.change(within(form).getByRole("combobox", { name: "For" }), {
      target: { value: "organization" },
    });
    fireEvent.change(within(form).getByRole("combobox", { name: "Occasion" }), {
      target: { value: "won_deal" },
    });
    fireEvent.change(within(form).getByRole("spinbutton", { name: "Days" }), { target: { value: "45" } });
    fireEvent.change(within(form).getByRole("combobox", { name: "Mode" }), { target: { value: "send" } });
    fireEvent.click(within(form).getByRole("button", { name: "New rule" }));
    const table = await screen.findByRole("table", { name: "Occasion rules" });
    expect(server.received("createOccasionRule")).toEqual([
      {
        body: {
          scope: "organization",
          name: "Anniversaries",
          kind: "won_deal",
          timing: { afterDays: 45 },
          templateId: "7c000000-0000-4000-8000-000000000001",
          mode: "send",
          active: true,
        },
      },
    ]);
    expect(within(table).getByText("45 days after a deal is won")).toBeTruthy();
    expect(within(table).getByText("Birthday wishes")).toBeTruthy();

    const sending = within(table).getByRole("switch", {
      name: "Sending from your mailbox is on for “Anniversaries”.",
    });
    expect((sending as HTMLInputElement).checked).toBe(false);
    fireEvent.click(sending);
    await waitFor(() => expect(server.received("setOccasionSending")).toHaveLength(1));
    expect(server.received("setOccasionSending")[0]?.body).toEqual({ enabled: true });
    await waitFor(() =>
      expect((within(table).getByRole("switch", { name: /Anniversaries/ }) as HTMLInputElement).checked).toBe(
        true,
      ),
    );

    fireEvent.click(within(table).getByRole("button", { name: "Delete “Anniversaries”" }));
    fireEvent.click(await screen.findByRole("button", { name: "Delete" }));
    expect(await screen.findByText("No occasion rules yet.")).toBeTruthy();
  });

  it("edits a contact's birthday and their wish for no automated mail", async () => {
    const anna = { ...contact({ id: "7d000000-0000-4000-8000-000000000009", displayName: "Anna Berg" }) };
    const server = fakeWebServer({ contacts: [anna] });
    renderWebApp(server, `/app/contacts/${anna.id}`);
    const form = await screen.findByRole("form", { name: "Edit Anna Berg" });
    const birthday = within(form).getByRole("textbox", { name: "Birthday" });
    fireEvent.change(birthday, { target: { value: "1980-02-29" } });
    fireEvent.change(within(form).getByRole("combobox", { name: "Automated mail" }), {
      target: { value: "true" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("Saved.")).toBeTruthy();
    expect(server.received("updateContact")[0]?.body).toMatchObject({
      birthday: { day: 29, month: 2, year: 1980 },
      noAutomatedMail: true,
    });
    expect(server.contacts[0]).toMatchObject({
      birthday: { day: 29, month: 2, year: 1980 },
      noAutomatedMail: true,
    });
  });
});
