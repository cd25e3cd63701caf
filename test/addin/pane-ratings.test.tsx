/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { SimulatedMessage } from "../../src/addin/office/simulated-mailbox";
import { anna, closePanes, setup } from "../helpers/pane-fixtures";

afterEach(closePanes);

const toAnna: SimulatedMessage = {
  id: "to-anna",
  internetMessageId: null,
  conversationId: null,
  subject: "",
  from: null,
  to: [{ address: "anna@fabrikam.example", name: "Anna Berg" }],
  cc: [],
  sentAt: null,
  mode: "compose",
  bodyText: "",
  bodyHtml: "<p>Hello</p>",
};

const scores = {
  nps: { latest: 9, latestAt: "2026-11-10T10:00:00.000Z", previous: 6, change: 3, count: 2 },
  csat: { latest: 4, latestAt: "2026-11-12T10:00:00.000Z", previous: null, change: null, count: 1 },
  recent: [],
};

describe("customer ratings in the pane", () => {
  it("shows the sender's latest NPS and satisfaction with how each moved", async () => {
    const pane = setup({ ratings: { [anna.id]: scores } });
    act(() => pane.mailbox.select("known"));
    const section = await screen.findByRole("region", { name: "Customer ratings" });
    expect(await within(section).findByText("NPS 9 (up 3 from 6)")).toBeTruthy();
    expect(within(section).getByText("Satisfaction 4 of 5 (first answer)")).toBeTruthy();
    expect(pane.server.received("contactRatings")).toEqual([{ params: { id: anna.id } }]);
  });

  it("writes the scores in the pane's language, and says when there are none", async () => {
    const pane = setup({ language: "sv-SE" });
    act(() => pane.mailbox.select("known"));
    const section = await screen.findByRole("region", { name: "Kundbetyg" });
    expect(await within(section).findByText("Inga enkätsvar än")).toBeTruthy();
  });

  it("puts a survey link made for the recipient into the draft", async () => {
    const pane = setup({ messages: [toAnna] });
    act(() => pane.mailbox.select(toAnna.id));
    const section = await screen.findByRole("region", { name: "Customer ratings" });
    fireEvent.click(await within(section).findByRole("button", { name: "NPS survey link" }));
    expect(await within(section).findByText("Survey link inserted into the draft")).toBeTruthy();
    const url = `https://rapport.example/s/nps-link-for-${anna.id}`;
    const draft = pane.mailbox.messages().find((m) => m.id === toAnna.id) as SimulatedMessage;
    expect(draft.bodyHtml).toBe(`<p>Hello</p><a href="${url}">${url}</a>`);
    expect(pane.server.received("createRatingLink")).toEqual([
      { params: { id: anna.id }, body: { kind: "nps" } },
    ]);
  });

  it("warns that a draft to several people lets each of them answer as the contact", async () => {
    const pane = setup({
      messages: [{ ...toAnna, cc: [{ address: "per@litware.example", name: "Per Sund" }] }],
    });
    act(() => pane.mailbox.select(toAnna.id));
    const section = await screen.findByRole("region", { name: "Customer ratings" });
    expect(
      await within(section).findByText(
        "This email goes to more than one person: anyone it reaches could answer with the link in this contact's name.",
      ),
    ).toBeTruthy();
  });

  it("has no such warning for a draft to one person", async () => {
    const pane = setup({ messages: [toAnna] });
    act(() => pane.mailbox.select(toAnna.id));
    const section = await screen.findByRole("region", { name: "Customer ratings" });
    await within(section).findByRole("button", { name: "NPS survey link" });
    expect(within(section).queryByText(/more than one person/)).toBeNull();
  });

  it("copies the link while reading, and shows it to copy where the clipboard is refused", async () => {
    const writeText = jest.fn((_url: string): Promise<void> => Promise.reject(new Error("not allowed")));
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const pane = setup();
    act(() => pane.mailbox.select("known"));
    const section = await screen.findByRole("region", { name: "Customer ratings" });
    fireEvent.click(await within(section).findByRole("button", { name: "Satisfaction survey link" }));
    const url = `https://rapport.example/s/csat-link-for-${anna.id}`;
    const shown = (await within(section).findByRole("textbox")) as HTMLInputElement;
    expect(shown.value).toBe(url);
    expect(writeText).toHaveBeenCalledWith(url);
    writeText.mockImplementation(() => Promise.resolve());
    fireEvent.click(within(section).getByRole("button", { name: "NPS survey link" }));
    expect(await within(section).findByText("Survey link copied")).toBeTruthy();
    await waitFor(() => expect(within(section).queryByRole("textbox")).toBeNull());
  });
});
