/**
 * @jest-environment jsdom
 */
import { fireEvent, screen } from "@testing-library/react";
import { shellMessages } from "../../src/webapp/components/shell-messages";
import { pageFor, pages } from "../../src/webapp/navigation";
import { fakeWebServer, renderWebApp } from "../helpers/webapp-fixtures";

describe("the web app's navigation", () => {
  it("finds the page of a path, with the rest of the path for the page", () => {
    expect(pageFor("/app")?.page.name).toBe("today");
    expect(pageFor("/app/")?.page.name).toBe("today");
    // The navigation's word for it, typed into the address bar.
    expect(pageFor("/app/today")).toMatchObject({ page: { name: "today" }, subpath: "" });
    expect(pageFor("/app/today/more")).toBeNull();
    expect(pageFor("/app/reports/stage-conversion")).toMatchObject({
      page: { name: "reports" },
      subpath: "stage-conversion",
    });
    expect(pageFor("/app/settingsx")).toBeNull();
    expect(pageFor("/app/settings/more")).toBeNull();
    expect(pageFor("/elsewhere")).toBeNull();
    expect(pageFor("/app/deals/7f000000-0000-4000-8000-000000000001")).toMatchObject({
      page: { name: "deals" },
      subpath: "7f000000-0000-4000-8000-000000000001",
    });
    expect(pages.map((p) => shellMessages.en[p.name])).toEqual([
      "Today",
      "Contacts",
      "Companies",
      "Leads",
      "Deals",
      "Tasks",
      "Duplicates",
      "Segments",
      "Reports",
      "Templates",
      "Import and export",
      "Settings",
      "Your account",
    ]);
  });

  it("moves between pages without reloading, marking the current one, and signs out", async () => {
    const { signOut } = renderWebApp(fakeWebServer(), "/app");
    const nav = await screen.findByRole("navigation", { name: "Rapport" });
    expect(screen.getByRole("link", { name: "Today" }).getAttribute("aria-current")).toBe("page");
    fireEvent.click(screen.getByRole("link", { name: "Settings" }));
    expect(await screen.findByRole("heading", { name: "Settings" })).toBeTruthy();
    expect(window.location.pathname).toBe("/app/settings");
    expect(screen.getByRole("link", { name: "Settings" }).getAttribute("aria-current")).toBe("page");
    expect(nav).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    expect(signOut).toHaveBeenCalledTimes(1);
  });
});
