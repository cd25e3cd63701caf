/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from "@testing-library/react";
import { contact, fakeWebServer, followUp, renderWebApp } from "../helpers/webapp-fixtures";

const anna = contact({ id: "7c000000-0000-4000-8000-000000000001", displayName: "Anna Berg" });
const task = (n: number, title: string) =>
  followUp({ id: `7d000000-0000-4000-8000-00000000000${n}`, title, overdue: false });

describe("the record lists and forms in the user's language", () => {
  beforeEach(() => window.localStorage.clear());

  it("lists contacts in Swedish: the title, filters, columns, count and export", async () => {
    renderWebApp(fakeWebServer({ contacts: [anna] }), "/app/contacts", { language: "sv" });
    const grid = await screen.findByRole("grid", { name: "Kontakter" });
    expect(within(grid).getByRole("link", { name: "Anna Berg" })).toBeTruthy();
    expect(within(grid).getByText("Livscykelfas")).toBeTruthy();
    expect(within(grid).getByText("Ägare")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Alla kontakter" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Ny kontakt" })).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Livscykelfas" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Exportera de visade kontakterna som CSV" })).toBeTruthy();
    expect(screen.getByText("1 kontakt")).toBeTruthy();
    for (const english of ["New contact", "All contacts", "Lifecycle stage", "Owner", "1 contact"])
      expect(screen.queryByText(english)).toBeNull();
  });

  it("edits a contact in Croatian, and says an emptied name in Croatian", async () => {
    renderWebApp(fakeWebServer({ contacts: [anna] }), `/app/contacts/${anna.id}`, { language: "hr" });
    const form = await screen.findByRole("form", { name: "Uredi: Anna Berg" });
    expect(screen.getByRole("link", { name: "Svi kontakti" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Pojedinosti" })).toBeTruthy();
    expect(within(form).getByText("Prva je glavna adresa")).toBeTruthy();
    expect(
      (within(form).getByRole("combobox", { name: /Faza životnog ciklusa/ }) as HTMLSelectElement).value,
    ).toBe("lead");
    expect(within(form).getByRole("option", { name: "Potencijalni kontakt" })).toBeTruthy();
    fireEvent.change(within(form).getByRole("textbox", { name: /Ime i prezime/ }), {
      target: { value: " " },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Spremi" }));
    expect(await within(form).findByText("Polje Ime i prezime ne smije biti prazno.")).toBeTruthy();
    for (const english of ["All contacts", "Details", "Save", "Email addresses", "Lead"])
      expect(screen.queryByText(english)).toBeNull();
  });

  it("counts tasks in Croatian's few form, and shows a task in Swedish", async () => {
    const tasks = [task(1, "Ring Anna"), task(2, "Skicka offert"), task(3, "Boka möte")];
    const list = renderWebApp(fakeWebServer({ followUps: tasks }), "/app/tasks", { language: "hr" });
    expect(await screen.findByText("3 zadatka")).toBeTruthy();
    expect(screen.getByRole("checkbox", { name: "Označi „Ring Anna” kao gotovo" })).toBeTruthy();
    list.unmount();

    renderWebApp(fakeWebServer({ followUps: tasks }), `/app/tasks/${tasks[0]?.id}`, { language: "sv" });
    const form = await screen.findByRole("form", { name: "Redigera Ring Anna" });
    expect(screen.getByRole("heading", { name: /^Förfaller / })).toBeTruthy();
    expect(screen.getByRole("checkbox", { name: "Markera ”Ring Anna” som klar" })).toBeTruthy();
    expect(within(form).getByRole("textbox", { name: /Rubrik/ })).toBeTruthy();
    expect(within(form).getByRole("combobox", { name: "Ansvarig" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Alla uppgifter" })).toBeTruthy();
    for (const english of ["All tasks", "Assignee", "Notes", "Details"])
      expect(screen.queryByText(english)).toBeNull();
    expect(screen.queryByRole("heading", { name: /^Due / })).toBeNull();
  });
});
