/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from "@testing-library/react";
import type { Lead } from "../../src/shared/web-forms";
import { webForm } from "../helpers/fake-web-forms";
import { ApiError } from "../../src/client/problems";
import { customFieldDefinition, fakeWebServer, ids, problem, renderWebApp } from "../helpers/webapp-fixtures";

/** The settings page's and the leads page's chunks compile on first use, slowly on a busy 2-core machine. */
jest.setTimeout(120_000);

const FORM = "7d000000-0000-4000-8000-000000000001";
const CONTACT = "00000000-0000-4000-8000-000000000777";
const at = "2026-11-20T09:00:00.000Z";

const lead = (fields: Partial<Lead> = {}): Lead => ({
  id: "00000000-0000-4000-8000-000000000701",
  formId: FORM,
  contactId: CONTACT,
  companyId: null,
  ownerId: ids.bo,
  taskId: "00000000-0000-4000-8000-000000000702",
  pageUrl: "https://www.customer-site.example/pricing",
  utm: { source: "newsletter", medium: "email", campaign: "winter", term: null, content: null },
  consentVersion: 2,
  consentText: "You may contact me.",
  submitted: {
    "contact.email": "anna@customer-site.example",
    "contact.firstName": "Anna",
    "contact.lastName": "Berg",
  },
  createdAt: at,
  ...fields,
});

/** The settings page's web forms section, once it has loaded. */
async function formsSection(): Promise<HTMLElement> {
  return screen.findByRole("region", { name: "Web forms" });
}

describe("the web app's web forms", () => {
  it("lets an admin build a form: fields and their required marks, consent, a redirect, owners in turn, a site", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    const section = await formsSection();
    expect(await within(section).findByText("No web forms yet.")).toBeTruthy();
    fireEvent.click(within(section).getByRole("button", { name: "New form" }));
    const editor = await screen.findByRole("region", { name: "New web form" });
    fireEvent.change(within(editor).getByLabelText(/^Name/), { target: { value: "Contact us" } });
    fireEvent.change(within(editor).getByLabelText(/^Title visitors see/), {
      target: { value: "Talk to sales" },
    });
    // The address is always asked for, and always required: its box cannot be unticked, nor the field removed.
    const email = within(editor).getByRole("group", { name: "Email address" });
    expect((within(email).getByRole("checkbox", { name: "Required" }) as HTMLInputElement).disabled).toBe(
      true,
    );
    const first = within(editor).getByRole("group", { name: "First name" });
    fireEvent.click(within(first).getByRole("checkbox", { name: "Required" }));
    // The last name goes; the company moves above the first name.
    fireEvent.click(within(editor).getByRole("button", { name: "Remove the field Last name" }));
    fireEvent.click(within(editor).getByRole("button", { name: "Move Company name up" }));
    fireEvent.click(within(editor).getByRole("button", { name: "Add a field" }));
    const added = within(editor).getByRole("group", { name: "Full name" });
    fireEvent.change(within(added).getByRole("combobox"), { target: { value: "contact.title" } });
    expect(within(editor).getByRole("group", { name: "Job title" })).toBeTruthy();
    fireEvent.change(within(editor).getByLabelText(/^Consent text/), {
      target: { value: "You may contact me about Rapport." },
    });
    fireEvent.click(within(editor).getByRole("radio", { name: "Go to a page of your site" }));
    fireEvent.change(within(editor).getByLabelText(/^Page address \(https\)/), {
      target: { value: "https://www.customer-site.example/thanks" },
    });
    fireEvent.click(within(editor).getByRole("radio", { name: "Colleagues in turn" }));
    fireEvent.click(within(editor).getByRole("checkbox", { name: "Bo Admin" }));
    fireEvent.change(within(editor).getByLabelText(/^Sites that may embed the form/), {
      target: { value: " https://www.customer-site.example \n\n" },
    });
    fireEvent.click(within(editor).getByRole("button", { name: "Create form" }));
    const table = await within(section).findByRole("table", { name: "Web forms" });
    expect(within(table).getByText("Contact us")).toBeTruthy();
    expect(within(table).getByText("In turn: Rita Rep, Bo Admin")).toBeTruthy();
    expect(screen.queryByRole("region", { name: "New web form" })).toBeNull();
    expect(server.received("createWebForm")).toEqual([
      {
        body: {
          name: "Contact us",
          title: "Talk to sales",
          fields: [
            { target: "contact.email", label: "Email address", labels: {}, required: true },
            { target: "company.name", label: "Company name", labels: {}, required: false },
            { target: "contact.firstName", label: "First name", labels: {}, required: true },
            { target: "contact.title", label: "Job title", labels: {}, required: false },
          ],
          consentText: "You may contact me about Rapport.",
          afterSubmit: { kind: "redirect", url: "https://www.customer-site.example/thanks" },
          owner: { kind: "roundRobin", userIds: [ids.rita, ids.bo] },
          allowedOrigins: ["https://www.customer-site.example"],
        },
      },
    ]);
  });

  it("says why a form was not saved and keeps what was typed, to send again", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    const section = await formsSection();
    fireEvent.click(await within(section).findByRole("button", { name: "New form" }));
    const editor = await screen.findByRole("region", { name: "New web form" });
    fireEvent.change(within(editor).getByLabelText(/^Name/), { target: { value: "Demo" } });
    fireEvent.change(within(editor).getByLabelText(/^Thank-you message/), { target: { value: "Thanks!" } });
    server.failNext(
      "createWebForm",
      problem(400, "invalid_request", "The request body is not valid: allowedOrigins.0: not an origin"),
    );
    fireEvent.click(within(editor).getByRole("button", { name: "Create form" }));
    expect(await within(editor).findByText(/The form was not saved/)).toBeTruthy();
    expect((within(editor).getByLabelText(/^Name/) as HTMLInputElement).value).toBe("Demo");
    fireEvent.click(within(editor).getByRole("button", { name: "Try again" }));
    expect(await within(section).findByRole("table", { name: "Web forms" })).toBeTruthy();
    expect(server.received("createWebForm")).toHaveLength(2);
  });

  it("shows the hosted page and the snippet to paste, in the language chosen for the site", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.webForms.forms = [webForm({ id: FORM, name: "Contact us", ownerId: ids.rita })];
    renderWebApp(server, "/app/settings");
    const section = await formsSection();
    fireEvent.click(
      await within(section).findByRole("button", { name: "Show how to put Contact us on a site" }),
    );
    const hosted = await within(section).findByLabelText("The hosted page, to link to or open");
    expect((hosted as HTMLInputElement).value).toBe("https://rapport.example/f/AbCdEfGhIjKlMnOpQrStUv");
    const snippet = within(section).getByLabelText(/The snippet to paste into a page of your site/);
    expect((snippet as HTMLTextAreaElement).value).toContain('lang="en"');
    expect((snippet as HTMLTextAreaElement).value).toContain(
      '<script src="https://rapport.example/f/embed.js" defer></script>',
    );
    fireEvent.change(within(section).getByLabelText("Language of the snippet's buttons and messages"), {
      target: { value: "sv" },
    });
    await within(section).findByDisplayValue(/lang="sv"/);
    expect(server.received("webFormEmbed").map((c) => c.query)).toEqual([{ lang: "en" }, { lang: "sv" }]);
    fireEvent.click(within(section).getByRole("button", { name: "Hide" }));
    expect(within(section).queryByLabelText("The hosted page, to link to or open")).toBeNull();
  });

  it("changes a form at the version it read, and deletes one after asking", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.webForms.forms = [
      webForm({
        id: FORM,
        name: "Contact us",
        ownerId: ids.rita,
        consentText: "Old text.",
        consentVersion: 1,
        version: 3,
      }),
    ];
    renderWebApp(server, "/app/settings");
    const section = await formsSection();
    fireEvent.click(await within(section).findByRole("button", { name: "Edit the form Contact us" }));
    const editor = await screen.findByRole("region", { name: "Edit Contact us" });
    expect(within(editor).getByText(/Current version: 1/)).toBeTruthy();
    fireEvent.change(within(editor).getByLabelText(/^Consent text/), { target: { value: "New text." } });
    fireEvent.click(within(editor).getByRole("button", { name: "Save" }));
    await within(section).findByRole("button", { name: "New form" });
    expect(server.received("updateWebForm")).toEqual([
      {
        params: { id: FORM },
        body: expect.objectContaining({ consentText: "New text.", version: 3 }),
      },
    ]);
    expect(server.webForms.forms[0]?.consentVersion).toBe(2);

    fireEvent.click(within(section).getByRole("button", { name: "Delete the form Contact us" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(/Its leads stay/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
    expect(await within(section).findByText("No web forms yet.")).toBeTruthy();
    expect(server.received("deleteWebForm")).toEqual([{ params: { id: FORM } }]);
  });

  it("shows members no web forms in the settings", async () => {
    const server = fakeWebServer({ role: "member" });
    renderWebApp(server, "/app/settings");
    expect(await screen.findByText(/Only admins change the organisation's settings/)).toBeTruthy();
    expect(screen.queryByRole("region", { name: "Web forms" })).toBeNull();
    expect(server.received("listWebForms")).toEqual([]);
  });
});

describe("the web app's leads", () => {
  it("lists each lead with its form, page, campaign, consent version and owner, linked to its contact", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.webForms.forms = [webForm({ id: FORM, name: "Contact us", ownerId: ids.bo })];
    server.webForms.leads = [lead()];
    renderWebApp(server, "/app/leads");
    const table = await screen.findByRole("table", { name: "Leads" });
    const row = within(table).getAllByRole("row")[1] as HTMLElement;
    await within(row).findByText("Contact us");
    expect(
      within(row)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual([
      expect.any(String),
      "Anna Berg (anna@customer-site.example)",
      "Contact us",
      "https://www.customer-site.example/pricing",
      "newsletter · email · winter",
      "",
      "Version 2",
      "Bo Admin",
    ]);
    expect(
      within(row)
        .getByRole("link", { name: /Anna Berg/ })
        .getAttribute("href"),
    ).toBe(`/app/contacts/${CONTACT}`);
  });

  it("shows what the visitor sent beyond their name and address, which a known contact never takes", async () => {
    const interest = customFieldDefinition({
      key: "interest",
      label: "Interest",
      type: "text",
      entity: "contact",
    });
    const server = fakeWebServer({ role: "member", customFields: [interest] });
    server.webForms.leads = [
      lead({
        submitted: {
          "contact.email": "anna@customer-site.example",
          "contact.firstName": "Anna",
          "contact.phone": "+46 70 123 45 67",
          "company.name": "Kund AB",
          "contact.custom.interest": "Prices for 20 users,\nand a demo",
        },
      }),
    ];
    renderWebApp(server, "/app/leads");
    const table = await screen.findByRole("table", { name: "Leads" });
    expect(within(table).getByRole("columnheader", { name: "What they sent" })).toBeTruthy();
    const sent = await within(table).findByRole("list", { name: "What they sent" });
    expect(
      within(sent)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "Phone: +46 70 123 45 67",
      "Company name: Kund AB",
      "Interest (contact): Prices for 20 users,\nand a demo",
    ]);
  });

  it("shows one form's leads at its address, and says when there are none", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.webForms.forms = [webForm({ id: FORM, name: "Contact us", ownerId: ids.bo })];
    renderWebApp(server, `/app/leads/${FORM}`);
    expect(await screen.findByText("No leads from this form yet.")).toBeTruthy();
    expect(server.received("listLeads")).toEqual([{ query: { limit: expect.any(Number), formId: FORM } }]);
    fireEvent.change(await screen.findByRole("combobox", { name: "Form" }), { target: { value: "" } });
    expect(await screen.findByText(/No leads yet/)).toBeTruthy();
    expect(window.location.pathname).toBe("/app/leads");
  });

  it("shows a member the leads without asking for the forms, which are the admins'", async () => {
    const server = fakeWebServer({ role: "member" });
    server.webForms.leads = [lead({ ownerId: null, consentVersion: null, pageUrl: null })];
    renderWebApp(server, "/app/leads");
    const table = await screen.findByRole("table", { name: "Leads" });
    expect(within(table).getByText("A web form")).toBeTruthy();
    expect(within(table).getByText("None asked")).toBeTruthy();
    expect(within(table).getByText("Nobody")).toBeTruthy();
    expect(server.received("listWebForms")).toEqual([]);
  });

  it("says the leads were not loaded, and loads them on retry", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.webForms.leads = [lead()];
    // Refused more often than the app retries by itself.
    server.failNext("listLeads", new ApiError(503, null), 4);
    renderWebApp(server, "/app/leads");
    expect(await screen.findByText(/The leads were not loaded/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("table", { name: "Leads" })).toBeTruthy();
  });
});
