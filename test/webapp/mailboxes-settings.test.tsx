/**
 * @jest-environment jsdom
 */
import { screen, within } from "@testing-library/react";
import { fakeMailbox, fakeWebServer, ids, renderWebApp } from "../helpers/webapp-fixtures";

const bo = (overrides: Parameters<typeof fakeMailbox>[0] = {}) =>
  fakeMailbox({ userId: ids.bo, email: "bo@contoso.example", displayName: "Bo Admin", ...overrides });

describe("each mailbox's sync in the settings, in words", () => {
  beforeEach(() => window.localStorage.clear());

  it("says where mail, meetings and instant sync stand, and what to do when one is not read", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.notificationsConfigured = true;
    server.mailboxes = [
      fakeMailbox({
        calendar: { state: "no_consent", syncedAt: "2026-11-18T08:00:00.000Z", error: null },
        notifications: {
          state: "active",
          reason: null,
          expiresAt: "2026-11-23T09:30:00.000Z",
          error: null,
        },
      }),
      bo({
        status: "failing",
        lastError: "Microsoft Graph answered 500: boom",
        retryAt: "2026-11-20T09:32:00.000Z",
        calendar: { state: "failing", syncedAt: null, error: "Microsoft Graph answered 500: boom" },
        notifications: { state: "failing", reason: "not_made", expiresAt: null, error: null },
      }),
    ];
    renderWebApp(server, "/app/settings");
    const list = await screen.findByRole("list", { name: "Mailboxes" }, { timeout: 10_000 });
    const rita = within(list).getByRole("listitem", { name: "Rita Rep" });
    expect(within(rita).getByText(/^Read .*\.$/)).toBeTruthy();
    expect(
      within(rita).getByText(
        "Not read: Microsoft Graph refuses the calendar. An admin grants the app Calendars.Read with admin consent; mail goes on being logged.",
      ),
    ).toBeTruthy();
    expect(within(rita).getByText(/^Last read /)).toBeTruthy();
    expect(within(rita).getByText(/^On until .*, renewed before then\.$/)).toBeTruthy();

    const boItem = within(list).getByRole("listitem", { name: "Bo Admin" });
    expect(within(boItem).getByText(/^Failing; next try /)).toBeTruthy();
    expect(within(boItem).getByText("Error: Microsoft Graph answered 500: boom")).toBeTruthy();
    expect(within(boItem).getByText("Not read: the mailbox's runs fail.")).toBeTruthy();
    expect(
      within(boItem).getByText(
        /^Failing: Microsoft Graph did not accept the subscription\. Check that Graph can reach/,
      ),
    ).toBeTruthy();
  }, 30_000);

  it("says instant sync is off without a notification URL, and shows a member their own mailbox only", async () => {
    const server = fakeWebServer({ role: "member" });
    server.mailboxes = [fakeMailbox(), bo()];
    renderWebApp(server, "/app/settings");
    const list = await screen.findByRole("list", { name: "Mailboxes" }, { timeout: 10_000 });
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((li) => li.getAttribute("aria-label")),
    ).toEqual(["Rita Rep"]);
    expect(
      within(list).getByText(
        "Off: the server has no notification URL (RAPPORT_GRAPH_NOTIFICATION_URL), so mail and meetings are read every 60 seconds.",
      ),
    ).toBeTruthy();
  }, 30_000);

  it("speaks Norwegian", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.mailboxes = [fakeMailbox({ calendar: { state: "pending", syncedAt: null, error: null } })];
    renderWebApp(server, "/app/settings", { language: "nb" });
    const list = await screen.findByRole("list", { name: "Postkasser" }, { timeout: 10_000 });
    expect(within(list).getByText("Ikke lest ennå: ved postkassens neste kjøring.")).toBeTruthy();
    expect(screen.queryByText("Mailbox sync")).toBeNull();
  }, 30_000);
});
