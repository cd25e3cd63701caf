/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { ApiError } from "../../src/client/problems";
import { fakeWebServer, renderWebApp } from "../helpers/webapp-fixtures";

describe("the web app's language", () => {
  beforeEach(() => window.localStorage.clear());

  it("speaks the browser's language: the navigation, the header and the window's title", async () => {
    renderWebApp(fakeWebServer(), "/app/settings", { language: "sv" });
    expect(await screen.findByRole("link", { name: "Kontakter" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Inställningar" }).getAttribute("aria-current")).toBe("page");
    expect(screen.getByRole("button", { name: "Logga ut" })).toBeTruthy();
    await waitFor(() => expect(document.title).toBe("Inställningar · Rapport"));
    expect(document.documentElement.lang).toBe("sv");
  });

  it("opens in the language saved on the account, whatever the browser's", async () => {
    renderWebApp(fakeWebServer({ language: "hr" }), "/app", { language: "en" });
    expect(await screen.findByRole("link", { name: "Kontakti" })).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Contacts" })).toBeNull();
  });

  it("switches from the menu at once, saves the choice to the account and remembers it on this browser", async () => {
    const server = fakeWebServer();
    renderWebApp(server, "/app", { language: "en" });
    const menu = await screen.findByRole("combobox", { name: "Language" });
    expect(screen.getByRole("option", { name: "Deutsch" })).toBeTruthy();
    fireEvent.change(menu, { target: { value: "de" } });
    expect(await screen.findByRole("link", { name: "Kontakte" })).toBeTruthy();
    await waitFor(() => expect(server.received("updateMySettings")).toEqual([{ body: { language: "de" } }]));
    expect(server.language).toBe("de");
    expect(window.localStorage.getItem("rapport.language")).toBe("de");
  });

  it("keeps a choice whose save failed on this browser, says so in the new language, and saves it at the next visit", async () => {
    const server = fakeWebServer({ language: "hr" });
    server.failNext("updateMySettings", new ApiError(503, null));
    const first = renderWebApp(server, "/app", { language: null });
    await screen.findByRole("link", { name: "Kontakti" });
    fireEvent.change(screen.getByRole("combobox", { name: "Jezik" }), { target: { value: "de" } });
    expect(await screen.findByRole("link", { name: "Kontakte" })).toBeTruthy();
    expect((await screen.findByRole("alert")).textContent).toMatch(/^Die Sprache gilt in diesem Browser/);
    expect(server.language).toBe("hr");
    first.unmount();

    // The next visit opens in German and saves it, instead of taking the account's older Croatian.
    renderWebApp(server, "/app", { language: null });
    expect(await screen.findByRole("link", { name: "Kontakte" })).toBeTruthy();
    await waitFor(() => expect(server.language).toBe("de"));
    expect(window.localStorage.getItem("rapport.language.unsaved")).toBeNull();
  });

  it("does not save one account's unsaved choice to the next one signing in on this browser", async () => {
    const first = fakeWebServer({ language: "hr" });
    first.failNext("updateMySettings", new ApiError(503, null));
    const rita = renderWebApp(first, "/app", { language: null });
    await screen.findByRole("link", { name: "Kontakti" });
    fireEvent.change(screen.getByRole("combobox", { name: "Jezik" }), { target: { value: "de" } });
    await screen.findByRole("alert");
    expect(window.localStorage.getItem("rapport.language.unsaved")).toBe("1");
    fireEvent.click(screen.getByRole("button", { name: "Abmelden" }));
    expect(rita.signOut).toHaveBeenCalled();
    expect(window.localStorage.getItem("rapport.language.unsaved")).toBeNull();
    rita.unmount();

    // The next account opens in its own saved language, and keeps it.
    const next = fakeWebServer({ language: "sv" });
    renderWebApp(next, "/app", { language: null });
    expect(await screen.findByRole("link", { name: "Kontakter" })).toBeTruthy();
    expect(next.received("updateMySettings")).toEqual([]);
    expect(next.language).toBe("sv");
  });
});
