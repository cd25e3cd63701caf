/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { logOnSend } from "../../src/addin/commands/log-on-send";
import type { SimulatedMessage } from "../../src/addin/office/simulated-mailbox";
import { closePanes, inbox, setup } from "../helpers/pane-fixtures";

afterEach(closePanes);

/** Time, not a speed check: the first test compiles the pane's deferred chunks on a busy machine. */
jest.setTimeout(120_000);

const toAnna: SimulatedMessage = {
  id: "draft",
  internetMessageId: null,
  conversationId: null,
  subject: "Our offer",
  from: null,
  to: [{ address: "anna@fabrikam.example", name: "Anna Berg" }],
  cc: [],
  sentAt: null,
  mode: "compose",
  bodyText: "Hi Anna, here is our offer.",
};

/** The draft open in compose, the reminder's controls ready to use. */
async function compose(options: Parameters<typeof setup>[0] = {}) {
  const pane = setup({ messages: [...inbox, toAnna], ...options });
  act(() => pane.mailbox.select("draft"));
  const remind = (await screen.findByRole("checkbox", {
    name: "Remind me if there is no reply",
  })) as HTMLInputElement;
  await waitFor(() => expect(remind.disabled).toBe(false));
  const days = screen.getByRole("spinbutton", { name: "Working days to wait" }) as HTMLInputElement;
  return { pane, remind, days };
}

/** The rep ticks "log when sent" and presses Send: what the on-send handler logs. */
async function send(pane: ReturnType<typeof setup>) {
  await pane.mailbox.setLogOnSend(true);
  const outcome = await logOnSend(
    { mailbox: pane.mailbox, outbox: pane.services.outbox, api: pane.server.api },
    Number.POSITIVE_INFINITY,
  );
  expect(outcome).toBe("sent");
  const logged = pane.server.received("logEmail") as { body: Record<string, unknown> }[];
  expect(logged).toHaveLength(1);
  return (logged[0] as { body: Record<string, unknown> }).body;
}

describe("the no-reply reminder in compose", () => {
  it("carries the rep's 5 working days on the log the send makes", async () => {
    const { pane, remind, days } = await compose();
    expect(remind.checked).toBe(false);
    expect(days.disabled).toBe(true);
    fireEvent.click(remind);
    await waitFor(() => expect(remind.checked).toBe(true));
    await waitFor(() => expect(days.disabled).toBe(false));
    expect(days.value).toBe("3");
    fireEvent.change(days, { target: { value: "5" } });
    fireEvent.blur(days);
    await waitFor(async () => expect(await pane.mailbox.readFollowUp()).toBe(5));
    expect(days.value).toBe("5");
    expect((await send(pane)).followUp).toEqual({ days: 5 });
  });

  it("says no reminder when the rep turns it off again", async () => {
    const { pane, remind, days } = await compose();
    fireEvent.click(remind);
    await waitFor(() => expect(remind.checked).toBe(true));
    fireEvent.click(remind);
    await waitFor(() => expect(remind.checked).toBe(false));
    expect(days.disabled).toBe(true);
    expect(await pane.mailbox.readFollowUp()).toBeNull();
    const body = await send(pane);
    expect(body).toHaveProperty("followUp", null);
  });

  it("leaves the choice to the organisation's default when the rep does not touch it", async () => {
    const { pane, remind } = await compose({ loggingPolicy: { followUpOpenDeals: true } });
    expect(remind.checked).toBe(false);
    const body = await send(pane);
    expect(body).not.toHaveProperty("followUp");
  });

  it("suggests the organisation's days, and moves them with the arrow keys", async () => {
    const { pane, remind, days } = await compose({ loggingPolicy: { followUpDays: 4 } });
    await waitFor(() => expect(days.value).toBe("4"));
    fireEvent.click(remind);
    await waitFor(() => expect(days.disabled).toBe(false));
    expect(await pane.mailbox.readFollowUp()).toBe(4);
    // Both controls are in the tab order and named; the unit after the box labels it too.
    expect(remind.tabIndex).not.toBe(-1);
    expect(days.tabIndex).not.toBe(-1);
    expect(screen.getByLabelText("working days")).toBe(days);
    days.focus();
    fireEvent.keyDown(days, { key: "ArrowUp" });
    await waitFor(async () => expect(await pane.mailbox.readFollowUp()).toBe(5));
    await waitFor(() => expect(days.disabled).toBe(false));
    fireEvent.keyDown(days, { key: "ArrowDown" });
    await waitFor(async () => expect(await pane.mailbox.readFollowUp()).toBe(4));
    await waitFor(() => expect(days.disabled).toBe(false));
    fireEvent.keyDown(days, { key: "ArrowDown" });
    await waitFor(async () => expect(await pane.mailbox.readFollowUp()).toBe(3));
    await waitFor(() => expect(days.value).toBe("3"));
    expect((await send(pane)).followUp).toEqual({ days: 3 });
  });
});
