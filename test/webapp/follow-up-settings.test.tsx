/**
 * @jest-environment jsdom
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { Language } from "../../src/shared/languages";
import { createPasskeyInBrowser } from "../../src/webapp/auth/passkey-ceremony";
import { AccountSettings } from "../../src/webapp/pages/account/AccountPage";
import { WebAppProviders, createQueryClient } from "../../src/webapp/WebApp";
import { WebAppServicesProvider } from "../../src/webapp/services";
import { type FakeWebServer, fakeWebServer, problem, renderWebApp } from "../helpers/webapp-fixtures";

/** Time, not a speed check: the first test compiles the pages' chunks on a busy machine. */
jest.setTimeout(120_000);

const REMIND = "Remind by default when there is no reply to mail on open deals";
const AFTER = "After this many working days";

/** The rep's own settings page, in a browser whose clock is in `browserZone`. */
function renderAccount(server: FakeWebServer, browserZone: string, language: Language = "en") {
  render(
    <WebAppProviders queryClient={createQueryClient()} language={language}>
      <WebAppServicesProvider
        services={{
          api: server.api,
          files: server.files,
          progress: undefined as never,
          signOut: jest.fn(),
          timeZone: browserZone,
        }}
      >
        <AccountSettings createPasskey={createPasskeyInBrowser} />
      </WebAppServicesProvider>
    </WebAppProviders>,
  );
}

describe("the organisation's default no-reply reminder", () => {
  it("lets an admin turn it on for mail on open deals and set its working days", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    const remind = (await screen.findByRole("switch", { name: REMIND })) as HTMLInputElement;
    const days = screen.getByRole("combobox", { name: AFTER });
    expect(remind.checked).toBe(false);
    expect(days.textContent).toBe("3");

    fireEvent.click(remind);
    await waitFor(() => expect(remind.checked).toBe(true));
    expect(server.received("updateLoggingPolicy")).toEqual([{ body: { followUpOpenDeals: true } }]);

    await waitFor(() => expect((days as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(days);
    fireEvent.click(await screen.findByRole("option", { name: "5" }));
    await waitFor(() => expect(screen.getByRole("combobox", { name: AFTER }).textContent).toBe("5"));
    expect(server.received("updateLoggingPolicy")).toEqual([
      { body: { followUpOpenDeals: true } },
      { body: { followUpDays: 5 } },
    ]);
    expect(server.loggingPolicy).toMatchObject({ followUpOpenDeals: true, followUpDays: 5 });
  });

  it("shows a member the organisation's choice, read only", async () => {
    const server = fakeWebServer({
      role: "member",
      loggingPolicy: { followUpOpenDeals: true, followUpDays: 7 },
    });
    renderWebApp(server, "/app/settings");
    const remind = (await screen.findByRole("switch", { name: REMIND })) as HTMLInputElement;
    const days = screen.getByRole("combobox", { name: AFTER }) as HTMLButtonElement;
    expect(remind.checked).toBe(true);
    expect(remind.disabled).toBe(true);
    expect(days.textContent).toBe("7");
    expect(days.disabled).toBe(true);
  });

  it("is in the admin's language", async () => {
    renderWebApp(fakeWebServer({ role: "admin" }), "/app/settings", { language: "sv" });
    expect(
      await screen.findByRole("switch", {
        name: "Påminn som standard när post om öppna affärer inte får något svar",
      }),
    ).toBeTruthy();
    expect(screen.getByRole("combobox", { name: "Efter så här många arbetsdagar" })).toBeTruthy();
  });
});

describe("the rep's own time zone", () => {
  it("offers the browser's zone while none is chosen, and saves it when asked", async () => {
    const server = fakeWebServer();
    renderAccount(server, "Europe/Stockholm");
    const zone = (await screen.findByRole("combobox", { name: "Your time zone" })) as HTMLInputElement;
    expect(zone.value).toBe("");
    expect(screen.getByText(/None chosen: Rapport counts in UTC\./)).toBeTruthy();
    expect(server.received("updateMySettings")).toEqual([]);

    fireEvent.click(screen.getByRole("button", { name: "Use this browser's time zone (Europe/Stockholm)" }));
    await waitFor(() => expect(zone.value).toBe("Europe/Stockholm"));
    expect(server.received("updateMySettings")).toEqual([{ body: { timeZone: "Europe/Stockholm" } }]);
    expect(server.timeZone).toBe("Europe/Stockholm");
    expect(screen.queryByRole("button", { name: /Use this browser's time zone/ })).toBeNull();
    expect(screen.queryByText(/None chosen/)).toBeNull();
  });

  it("finds a zone by part of its name and saves the one picked", async () => {
    const server = fakeWebServer({ timeZone: "Europe/Stockholm" });
    renderAccount(server, "Europe/Stockholm");
    const zone = (await screen.findByRole("combobox", { name: "Your time zone" })) as HTMLInputElement;
    await waitFor(() => expect(zone.value).toBe("Europe/Stockholm"));

    fireEvent.change(zone, { target: { value: "nowhere-at-all" } });
    expect(await screen.findByText("No time zone matches.")).toBeTruthy();
    fireEvent.change(zone, { target: { value: "tokyo" } });
    fireEvent.keyDown(zone, { key: "ArrowDown" });
    fireEvent.click(await screen.findByRole("option", { name: "Asia/Tokyo" }));
    await waitFor(() => expect(zone.value).toBe("Asia/Tokyo"));
    expect(server.received("updateMySettings")).toEqual([{ body: { timeZone: "Asia/Tokyo" } }]);
    // Chosen here, the browser's own zone is offered back (a rep back from Tokyo).
    expect(
      screen.getByRole("button", { name: "Use this browser's time zone (Europe/Stockholm)" }),
    ).toBeTruthy();
  });

  it("says when the zone was not saved, and keeps the one saved before", async () => {
    const server = fakeWebServer({ timeZone: "Europe/Oslo" });
    server.failNext("updateMySettings", problem(503, "store_unavailable", "The store is not available."));
    renderAccount(server, "Europe/Zagreb");
    const zone = (await screen.findByRole("combobox", { name: "Your time zone" })) as HTMLInputElement;
    await waitFor(() => expect(zone.value).toBe("Europe/Oslo"));
    fireEvent.click(screen.getByRole("button", { name: "Use this browser's time zone (Europe/Zagreb)" }));
    expect(await screen.findByText(/^Your time zone was not saved/)).toBeTruthy();
    expect(zone.value).toBe("Europe/Oslo");
    expect(server.timeZone).toBe("Europe/Oslo");
  });

  it("is in the rep's language", async () => {
    renderAccount(fakeWebServer(), "Europe/Berlin", "de");
    expect(await screen.findByRole("combobox", { name: "Ihre Zeitzone" })).toBeTruthy();
    expect(
      screen.getByRole("button", { name: "Zeitzone dieses Browsers verwenden (Europe/Berlin)" }),
    ).toBeTruthy();
  });
});
