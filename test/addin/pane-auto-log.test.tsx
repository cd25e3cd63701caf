/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import type { SimulatedMessage } from "../../src/addin/office/simulated-mailbox";
import { anna, closePanes, inbox, secondDeal, setup } from "../helpers/pane-fixtures";

afterEach(closePanes);

const known = inbox[0] as SimulatedMessage;
/** Anna writes to Rita, Rita's colleague Carl on copy: not internal (Anna is outside). */
const fromAnna: SimulatedMessage = { ...known, id: "anna-2", internetMessageId: "<second@fabrikam.example>" };
/** Only colleagues on it. */
const internal: SimulatedMessage = {
  ...known,
  id: "internal",
  internetMessageId: "<lunch@contoso.example>",
  subject: "Lunch?",
  from: { address: "carl@contoso.example", name: "Carl" },
  cc: [],
};

async function open(pane: ReturnType<typeof setup>, id: string) {
  act(() => pane.mailbox.select(id));
  await screen.findAllByText(/Anna Berg|Carl/);
}

describe("automatic logging in the pane", () => {
  it("logs an email from a known contact as it is opened, once, when the rep turned it on", async () => {
    const pane = setup({ settings: { autoLogOpened: true } });
    await open(pane, "known");
    await waitFor(() => expect(pane.server.received("logEmail")).toHaveLength(1));
    expect(pane.server.received("logEmail")[0]).toMatchObject({
      body: { internetMessageId: known.internetMessageId, source: "auto", from: { address: anna.emails[0] } },
    });
    expect(await screen.findByRole("button", { name: "Logged · Fabrikam renewal" })).toBeTruthy();
    // Opening it again finds it logged: nothing is sent twice.
    act(() => pane.mailbox.select("stranger"));
    await screen.findByText("Not in Rapport yet");
    await open(pane, "known");
    await screen.findByRole("button", { name: "Logged · Fabrikam renewal" });
    expect(pane.server.received("logEmail")).toHaveLength(1);
  });

  it("logs nothing by itself while the switch is off, nor an unknown sender's email when it is on", async () => {
    const off = setup();
    await open(off, "known");
    await screen.findByRole("button", { name: "Log this email" });
    await waitFor(() => expect(off.server.received("me")).toHaveLength(1));
    expect(off.server.received("logEmail")).toEqual([]);
    closePanes();

    const on = setup({ settings: { autoLogOpened: true } });
    act(() => on.mailbox.select("stranger"));
    await screen.findAllByText("Not in Rapport yet");
    await waitFor(() => expect(on.server.received("me")).toHaveLength(1));
    expect(on.server.received("logEmail")).toEqual([]);
  });

  it("warns before a manual log of internal-only or blocklisted mail, and never logs it by itself", async () => {
    const pane = setup({
      settings: { autoLogOpened: true },
      orgBlocklist: ["@fabrikam.example"],
      messages: [...inbox, internal, fromAnna],
    });
    await open(pane, "anna-2");
    expect(await screen.findByText(/on a blocklist: Rapport never logs it by itself/)).toBeTruthy();
    act(() => pane.mailbox.select("internal"));
    expect(await screen.findByText(/Everyone on this email is in your organisation/)).toBeTruthy();
    expect(pane.server.received("logEmail")).toEqual([]);
    // The rep may still log it: a click is their decision.
    act(() => pane.mailbox.select("anna-2"));
    fireEvent.click(await screen.findByRole("button", { name: "Log this email" }));
    await waitFor(() => expect(pane.server.received("logEmail")).toHaveLength(1));
    expect(pane.server.received("logEmail")[0]).toMatchObject({ body: { source: "manual" } });
  });

  it("asks for the deal of an email the sync logged without one (several open deals), and links the pick", async () => {
    const pane = setup({ loggedBySync: true, secondDeal: true });
    await open(pane, "known");
    fireEvent.click(await screen.findByRole("button", { name: "Logged · link a deal" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: secondDeal.name }));
    await waitFor(() => expect(pane.server.received("logEmail")).toHaveLength(1));
    expect(pane.server.received("logEmail")[0]).toMatchObject({ body: { dealId: secondDeal.id } });
    expect(await screen.findByRole("button", { name: "Logged · Fabrikam expansion" })).toBeTruthy();
  });
});

describe("the pane's settings", () => {
  it("turns the rep's switches on and off, shows the mailbox sync's state, and keeps a personal blocklist", async () => {
    const pane = setup();
    await open(pane, "known");
    fireEvent.click(screen.getByRole("button", { name: "Settings" }));
    const autoLog = await screen.findByRole("switch", {
      name: "Log email from known contacts when I open it",
    });
    expect(autoLog).toHaveProperty("checked", false);
    expect(await screen.findByText(/Mailbox sync: up to date/)).toBeTruthy();
    fireEvent.click(autoLog);
    await waitFor(() =>
      expect(pane.server.received("updateMySettings")).toEqual([{ body: { autoLogOpened: true } }]),
    );
    await waitFor(() => expect(autoLog).toHaveProperty("checked", true));

    const sync = screen.getByRole("switch", {
      name: "Log my mail and meetings with known contacts automatically",
    });
    expect(sync).toHaveProperty("checked", true);
    fireEvent.click(sync);
    expect(await screen.findByText("Mailbox sync is off for your mailbox, as you chose.")).toBeTruthy();
    expect(sync).toHaveProperty("checked", false);

    expect(screen.getByText("Nobody yet.")).toBeTruthy();
    const input = screen.getByRole("textbox", { name: "Address or @domain" });
    fireEvent.change(input, { target: { value: "not an address" } });
    fireEvent.click(screen.getByRole("button", { name: "Add" }));
    expect(await screen.findByText(/Enter an address \(anna@example.com\) or a domain/)).toBeTruthy();
    expect(pane.server.received("addBlocklistEntry")).toEqual([]);
    fireEvent.change(input, { target: { value: "@Litware.example" } });
    fireEvent.click(screen.getByRole("button", { name: "Add" }));
    expect(await screen.findByText("@litware.example")).toBeTruthy();
    expect(pane.server.received("addBlocklistEntry")).toEqual([
      { body: { scope: "personal", entry: "@litware.example" } },
    ]);
    fireEvent.click(screen.getByRole("button", { name: "Remove @litware.example" }));
    expect(await screen.findByText("Nobody yet.")).toBeTruthy();
  });
});
