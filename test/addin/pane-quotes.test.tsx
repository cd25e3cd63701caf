/**
 * @jest-environment jsdom
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { SimulatedMessage } from "../../src/addin/office/simulated-mailbox";
import { closePanes, fabrikamRenewal, setup } from "../helpers/pane-fixtures";

afterEach(closePanes);

/** A new email to Anna, whose company has an open deal. */
const toAnna: SimulatedMessage = {
  id: "to-anna",
  internetMessageId: null,
  conversationId: null,
  subject: "Our offer",
  from: null,
  to: [{ address: "anna@fabrikam.example", name: "Anna Berg" }],
  cc: [],
  sentAt: null,
  mode: "compose",
  bodyText: "",
};

function compose(language?: string) {
  const pane = setup({ messages: [toAnna], language });
  act(() => pane.mailbox.select(toAnna.id));
  return pane;
}
const attachments = (pane: ReturnType<typeof setup>) =>
  (pane.mailbox.messages().find((m) => m.id === toAnna.id)?.attachments ?? []).map((a) => ({
    name: a.name,
    text: Buffer.from(a.base64, "base64").toString("latin1"),
  }));

describe("Attach quote in compose", () => {
  it("makes the deal's first quote and attaches its PDF to the draft, saying so", async () => {
    const pane = compose();
    const section = within(await screen.findByRole("region", { name: "Quotes" }));
    const release = pane.server.hold("createQuote");
    fireEvent.click(section.getByRole("button", { name: `Attach quote: ${fabrikamRenewal.name}` }));
    expect(await section.findByText("Attaching the quote…")).toBeTruthy();
    release();
    expect(await section.findByText("Quote 1 attached.")).toBeTruthy();
    // Dated by the rep's own day, in their browser's time zone.
    expect(pane.server.received("createQuote")).toEqual([
      {
        params: { id: fabrikamRenewal.id },
        body: { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
      },
    ]);
    expect(attachments(pane)).toEqual([{ name: "quote-1.pdf", text: "%PDF-1.7 quote 1" }]);
  });

  it("attaches the newest quote the deal has without making another", async () => {
    const pane = compose();
    const section = within(await screen.findByRole("region", { name: "Quotes" }));
    fireEvent.click(section.getByRole("button", { name: `Attach quote: ${fabrikamRenewal.name}` }));
    expect(await section.findByText("Quote 1 attached.")).toBeTruthy();
    fireEvent.click(section.getByRole("button", { name: `Attach quote: ${fabrikamRenewal.name}` }));
    await waitFor(() => expect(attachments(pane)).toHaveLength(2));
    expect(pane.server.received("createQuote")).toHaveLength(1);
    expect(attachments(pane)[1]).toEqual({ name: "quote-1.pdf", text: "%PDF-1.7 quote 1" });
  });

  it("says when the server cannot be reached, attaches nothing, and attaches on retry", async () => {
    const pane = compose();
    const section = within(await screen.findByRole("region", { name: "Quotes" }));
    pane.server.reachable = false;
    fireEvent.click(section.getByRole("button", { name: `Attach quote: ${fabrikamRenewal.name}` }));
    const retry = await section.findByRole("button", { name: /try again/i });
    expect(attachments(pane)).toEqual([]);
    pane.server.reachable = true;
    fireEvent.click(retry);
    expect(await section.findByText("Quote 1 attached.")).toBeTruthy();
    expect(attachments(pane)).toHaveLength(1);
  });

  it("says in the rep's language that a deal without lines needs them first, with nothing to retry", async () => {
    const pane = compose("sv-SE");
    pane.server.dealsWithoutLines.add(fabrikamRenewal.id);
    const section = within(await screen.findByRole("region", { name: "Offerter" }));
    fireEvent.click(section.getByRole("button", { name: `Bifoga offert: ${fabrikamRenewal.name}` }));
    expect(
      await section.findByText(
        `${fabrikamRenewal.name} har inga rader än, och en offert listar affärens rader. Lägg till dem på affärens sida i webbappen och bifoga sedan offerten.`,
      ),
    ).toBeTruthy();
    // Not the server's English, and no "try again" that would fail the same way.
    expect(section.queryByText(/deal\.lines/)).toBeNull();
    expect(section.queryByRole("button", { name: /försök igen/i })).toBeNull();
    expect(attachments(pane)).toEqual([]);
    // Once the deal has lines, the button attaches.
    pane.server.dealsWithoutLines.delete(fabrikamRenewal.id);
    fireEvent.click(section.getByRole("button", { name: `Bifoga offert: ${fabrikamRenewal.name}` }));
    expect(await section.findByText("Offert 1 bifogad.")).toBeTruthy();
    expect(attachments(pane)).toHaveLength(1);
  });
});
