/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { ApiClient } from "../../src/client/api-client";
import type { FileClient } from "../../src/client/files";
import { ApiError } from "../../src/client/problems";
import type { Segment, SegmentFilter, SegmentPreview } from "../../src/shared/segments";
import {
  type FakeWebServer,
  fakeWebServer,
  ids,
  now,
  problem,
  renderWebApp,
} from "../helpers/webapp-fixtures";

/** The segments page's chunk compiles on first use, slowly on a busy 2-core machine. */
jest.setTimeout(120_000);

const SEGMENT = "00000000-0000-4000-8000-000000000a01";

const segment = (fields: Partial<Segment> = {}): Segment => ({
  id: SEGMENT,
  name: "VIPs",
  description: null,
  filter: { conditions: [{ field: "tags", match: "any", values: ["vip"] }] },
  createdBy: ids.rita,
  canEdit: true,
  createdAt: now,
  updatedAt: now,
  version: 1,
  ...fields,
});

/**
 * The fake server with the segment routes answered as the server would: the segments held here, a preview that
 * counts two members of any filter with a condition (and one who wants no marketing), three of none.
 */
function withSegments(server: FakeWebServer, held: Segment[]) {
  const calls: { name: string; input: { params?: unknown; body?: unknown } }[] = [];
  const failures = new Map<string, ApiError>();
  const base = server.api;
  const files = server.files;
  const preview = (filter: SegmentFilter): SegmentPreview => ({
    count: filter.conditions.length ? 2 : 3,
    noMarketing: filter.conditions.length ? 1 : 0,
    members: [
      {
        contactId: "00000000-0000-4000-8000-000000000a11",
        email: "ada@customer.example",
        displayName: "Ada Andersson",
        firstName: null,
        lastName: null,
        companyName: null,
        lifecycleStage: "customer",
        tags: ["vip"],
        country: "SE",
        language: null,
      },
    ],
  });
  server.api = (async (name: string, input: { params?: { id: string }; body?: never }) => {
    if (!name.includes("Segment")) return base(name as never, input as never);
    calls.push({ name, input });
    const failure = failures.get(name);
    if (failure) {
      failures.delete(name);
      throw failure;
    }
    switch (name) {
      case "listSegments":
        return { items: held };
      case "previewSegment":
        return preview((input.body as unknown as { filter: SegmentFilter }).filter);
      case "createSegment": {
        const body = input.body as unknown as Pick<Segment, "name" | "description" | "filter">;
        const made = segment({ ...body, id: "00000000-0000-4000-8000-000000000a02" });
        held.push(made);
        return made;
      }
      case "deleteSegment":
        held.splice(
          held.findIndex((s) => s.id === input.params?.id),
          1,
        );
        return { id: input.params?.id, deleted: true };
    }
    throw new Error(`unexpected ${name}`);
  }) as unknown as ApiClient;
  server.files = (async (name: string, input: unknown) => {
    calls.push({ name, input: input as { params?: unknown } });
    return files(name as never, input as never);
  }) as unknown as FileClient;
  return {
    received: (name: string) => calls.filter((c) => c.name === name).map((c) => c.input),
    failNext: (name: string, error: ApiError) => failures.set(name, error),
  };
}

describe("the web app's segments page", () => {
  it("says there are none yet, builds a segment with its live count, and saves it for everyone", async () => {
    const server = fakeWebServer({ role: "member" });
    const held: Segment[] = [];
    const fake = withSegments(server, held);
    renderWebApp(server, "/app/segments");
    expect(await screen.findByText(/No segments yet/)).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "New segment" }));
    expect(await screen.findByText("3 members")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Add a condition" }));
    fireEvent.change(screen.getByRole("textbox", { name: /^Tags/ }), { target: { value: "vip, " } });
    expect(await screen.findByText("2 members")).toBeTruthy();
    expect(screen.getByText("1 more matches but wants no marketing.")).toBeTruthy();
    expect(screen.getByText("Ada Andersson")).toBeTruthy();

    fireEvent.change(screen.getByRole("textbox", { name: /^Name/ }), { target: { value: "VIPs" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(fake.received("createSegment")).toHaveLength(1));
    expect(fake.received("createSegment")[0]?.body).toEqual({
      name: "VIPs",
      description: "",
      filter: { conditions: [{ field: "tags", match: "any", values: ["vip"] }] },
    });
    const table = await screen.findByRole("table", { name: "Segments" });
    expect(within(table).getByText("VIPs")).toBeTruthy();
  });

  it("builds a condition on the latest customer rating, its score kept on the question's scale", async () => {
    const server = fakeWebServer({ role: "member" });
    const fake = withSegments(server, []);
    renderWebApp(server, "/app/segments");
    fireEvent.click(await screen.findByRole("button", { name: "New segment" }));
    fireEvent.click(screen.getByRole("button", { name: "Add a condition" }));
    fireEvent.click(screen.getByRole("combobox", { name: "Field" }));
    fireEvent.click(await screen.findByRole("option", { name: "Customer rating" }));
    const condition = await screen.findByRole("group", { name: "Customer rating" });
    fireEvent.click(within(condition).getByRole("combobox", { name: "Question" }));
    fireEvent.click(await screen.findByRole("option", { name: "Satisfaction (1–5)" }));
    await waitFor(() =>
      expect(fake.received("previewSegment").at(-1)?.body).toEqual({
        filter: { conditions: [{ field: "rating", kind: "csat", op: "atLeast", score: 5 }] },
        limit: 10,
      }),
    );
    fireEvent.change(within(condition).getByRole("spinbutton", { name: "Score" }), {
      target: { value: "4" },
    });
    await waitFor(() =>
      expect(fake.received("previewSegment").at(-1)?.body).toEqual({
        filter: { conditions: [{ field: "rating", kind: "csat", op: "atLeast", score: 4 }] },
        limit: 10,
      }),
    );
  });

  it("shows a problem when the segments cannot be read, and reads them again on retry", async () => {
    const server = fakeWebServer({ role: "member" });
    const fake = withSegments(server, [segment()]);
    // Not one the client retries by itself: the page shows it and offers the retry.
    fake.failNext("listSegments", problem(403, "forbidden", "Not now."));
    renderWebApp(server, "/app/segments");
    expect(await screen.findByText(/The segments could not be loaded/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: /Try again/ }));
    expect(await screen.findByRole("table", { name: "Segments" })).toBeTruthy();
  });

  it("opens a colleague's segment read-only, with its exports and links, and without delete", async () => {
    const server = fakeWebServer({ role: "member" });
    const fake = withSegments(server, [segment({ canEdit: false, createdBy: ids.bo })]);
    renderWebApp(server, "/app/segments");
    const table = await screen.findByRole("table", { name: "Segments" });
    expect(within(table).queryByRole("button", { name: "Delete VIPs" })).toBeNull();
    fireEvent.click(within(table).getByRole("button", { name: "Edit VIPs" }));
    expect(await screen.findByText(/only they or an admin can change it/)).toBeTruthy();
    const members = screen.getByLabelText("Members for a marketing platform (API)") as HTMLInputElement;
    expect(members.value).toMatch(new RegExp(`/api/v1/segments/${SEGMENT}/members$`));
    fireEvent.click(screen.getByRole("button", { name: "Export VIPs as vCard" }));
    await waitFor(() => expect(fake.received("exportSegmentVcf")).toEqual([{ params: { id: SEGMENT } }]));
  });

  it("deletes a segment its maker asks to delete, after asking", async () => {
    const server = fakeWebServer({ role: "member" });
    const held = [segment()];
    const fake = withSegments(server, held);
    renderWebApp(server, "/app/segments");
    const table = await screen.findByRole("table", { name: "Segments" });
    fireEvent.click(within(table).getByRole("button", { name: "Delete VIPs" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(fake.received("deleteSegment")).toEqual([{ params: { id: SEGMENT } }]));
    expect(await screen.findByText(/No segments yet/)).toBeTruthy();
  });
});
