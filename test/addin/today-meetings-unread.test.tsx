/**
 * @jest-environment jsdom
 */
import { screen, within } from "@testing-library/react";
import { closePanes, setup } from "../helpers/pane-fixtures";

afterEach(closePanes);

describe("an empty day of meetings in the pane's Today, when the calendar is not read", () => {
  const briefs = () => screen.findByRole("region", { name: /^Today's meetings/ });

  it("says the calendar is refused, and what the admin grants, instead of an empty day", async () => {
    const pane = setup({ calendarState: "no_consent" });
    const section = await briefs();
    expect(
      await within(section).findByText(
        "Your calendar cannot be read: Microsoft 365 refuses it. Ask your admin to grant Rapport Calendars.Read; your mail goes on being logged.",
      ),
    ).toBeTruthy();
    expect(within(section).queryByText("No meetings with customers today")).toBeNull();
    expect(pane.server.received("myMailbox")).toHaveLength(1);
  });

  it("says the mailbox sync is off and who turns it on", async () => {
    setup({ mailboxStatus: "not_enabled" });
    const section = await briefs();
    expect(
      await within(section).findByText(
        "Your meetings are not read: automatic logging is not on for your mailbox. Ask your Rapport admin to turn it on.",
      ),
    ).toBeTruthy();
  });

  it("tells a rep who opted out where to turn it on again, in their language", async () => {
    setup({ settings: { syncOptedOut: true }, language: "sv-SE" });
    const section = await screen.findByRole("region", { name: /^Dagens möten/ });
    expect(
      await within(section).findByText(
        "Dina möten läses inte: du har stängt av automatisk loggning. Slå på den igen under Inställningar.",
      ),
    ).toBeTruthy();
  });

  it("shows an empty day as empty when the calendar is read", async () => {
    const pane = setup();
    const section = await briefs();
    expect(await within(section).findByText("No meetings with customers today")).toBeTruthy();
    expect(pane.server.received("myMailbox")).toHaveLength(1);
  });
});
