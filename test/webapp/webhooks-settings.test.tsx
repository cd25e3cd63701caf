/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, within } from "@testing-library/react";
import type { WebhookDelivery } from "../../src/shared/webhooks";
import { fakeWebServer, renderWebApp } from "../helpers/webapp-fixtures";

/** The settings page's chunks compile on first use, slowly on a busy 2-core machine. */
jest.setTimeout(120_000);

const ENDPOINT = "00000000-0000-4000-8000-000000000901";
const DELIVERY = "00000000-0000-4000-8000-000000000902";
const at = "2026-12-01T09:00:00.000Z";

/** The one endpoint these cases show, active unless said otherwise. */
const endpoint = (active = true) => ({
  id: ENDPOINT,
  url: "https://erp.example/in",
  events: ["deal.won" as const],
  active,
  createdAt: at,
  updatedAt: at,
  version: active ? 1 : 2,
});

/** A won deal's delivery to it, given up after twelve tries unless said otherwise. */
const delivery = (fields: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id: DELIVERY,
  eventId: "00000000-0000-4000-8000-000000000903",
  eventType: "deal.won",
  recordType: "deal",
  recordId: "00000000-0000-4000-8000-000000000904",
  state: "failed",
  attempts: 12,
  lastStatus: 500,
  lastError: "HTTP 500: down for maintenance",
  lastAttemptAt: at,
  nextAttemptAt: null,
  deliveredAt: null,
  createdAt: at,
  ...fields,
});

/** The settings page with the endpoint's deliveries opened: their table. */
async function openDeliveries(server: ReturnType<typeof fakeWebServer>): Promise<HTMLElement> {
  renderWebApp(server, "/app/settings");
  fireEvent.click(
    await screen.findByRole("button", { name: "Show the recent deliveries to https://erp.example/in" }),
  );
  return screen.findByRole("table", { name: "Recent deliveries to https://erp.example/in" });
}

describe("the web app's webhook settings", () => {
  it("lets an admin add an endpoint for won deals and shows its secret once", async () => {
    const server = fakeWebServer({ role: "admin" });
    renderWebApp(server, "/app/settings");
    expect(await screen.findByText("No webhook endpoints yet.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText(/Endpoint URL/), {
      target: { value: " https://erp.example/in " },
    });
    fireEvent.click(screen.getByRole("checkbox", { name: /A deal is won \(sent as an order\)/ }));
    fireEvent.click(screen.getByRole("button", { name: "Add endpoint" }));
    const secret = await screen.findByLabelText("The signing secret, to copy now: it is not shown again");
    expect((secret as HTMLInputElement).value).toBe("whsec_made1");
    expect(server.received("createWebhookEndpoint")).toEqual([
      { body: { url: "https://erp.example/in", events: ["deal.won"], active: true } },
    ]);
    const table = await screen.findByRole("table", { name: "Webhook endpoints" });
    expect(within(table).getByText("https://erp.example/in")).toBeTruthy();
  });

  it("shows an endpoint's deliveries with their state and last error, and sends one again", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.webhooks = [endpoint()];
    server.webhookDeliveries[ENDPOINT] = [delivery()];
    const deliveries = await openDeliveries(server);
    expect(within(deliveries).getByText("Given up")).toBeTruthy();
    expect(within(deliveries).getByText("HTTP 500: down for maintenance")).toBeTruthy();
    fireEvent.click(within(deliveries).getByRole("button", { name: /Send the deal.won event of .* again/ }));
    expect(await screen.findByText("Queued to be sent again.")).toBeTruthy();
    expect(server.received("resendWebhookDelivery")).toEqual([
      { params: { id: ENDPOINT, deliveryId: DELIVERY } },
    ]);
    expect(await within(deliveries).findByText("Waiting")).toBeTruthy();
  });

  it("shows how a delivery sent again went, without a reload", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.webhooks = [endpoint()];
    const failed = delivery({ lastStatus: 503, lastError: "HTTP 503: down for maintenance" });
    server.webhookDeliveries[ENDPOINT] = [failed];
    const deliveries = await openDeliveries(server);
    const release = server.hold("resendWebhookDelivery");
    fireEvent.click(within(deliveries).getByRole("button", { name: /Send the deal.won event of .* again/ }));
    // On its way it says it is sending, not "saving".
    expect(await within(deliveries).findAllByText("Sending…")).not.toHaveLength(0);
    expect(within(deliveries).queryByText("Saving…")).toBeNull();
    release();
    expect(await within(deliveries).findByText("Waiting")).toBeTruthy();
    const listed = server.received("listWebhookDeliveries").length;
    // The server's loop sends it meanwhile: the list is read again once it was due, and says so.
    server.webhookDeliveries[ENDPOINT] = [
      { ...failed, state: "delivered", attempts: 1, lastStatus: 200, lastError: null, deliveredAt: at },
    ];
    expect(await within(deliveries).findByText("Delivered", {}, { timeout: 10_000 })).toBeTruthy();
    expect(server.received("listWebhookDeliveries").length).toBeGreaterThan(listed);
    // Nothing left to go: no more reading.
    const settled = server.received("listWebhookDeliveries").length;
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(server.received("listWebhookDeliveries")).toHaveLength(settled);
  });

  it("says a paused endpoint's deliveries wait for it, rather than a time already past", async () => {
    const server = fakeWebServer({ role: "admin" });
    server.webhooks = [endpoint(false)];
    server.webhookDeliveries[ENDPOINT] = [
      delivery({
        state: "pending",
        attempts: 0,
        lastStatus: null,
        lastError: null,
        lastAttemptAt: null,
        nextAttemptAt: at,
      }),
    ];
    const deliveries = await openDeliveries(server);
    const cells = within(within(deliveries).getAllByRole("row")[1] as HTMLElement).getAllByRole("cell");
    expect(cells.map((c) => c.textContent)).toEqual([
      "deal.won",
      expect.any(String),
      "Waiting",
      "0",
      "",
      "When the endpoint is active again",
      expect.any(String),
    ]);
  });

  it("shows members no webhooks at all", async () => {
    const server = fakeWebServer({ role: "member" });
    renderWebApp(server, "/app/settings");
    expect(await screen.findByText(/Only admins change the organisation's settings/)).toBeTruthy();
    expect(screen.queryByText("Webhooks")).toBeNull();
    expect(server.received("listWebhookEndpoints")).toEqual([]);
  });
});
