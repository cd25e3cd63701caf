/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { ApiClient } from "../../src/client/api-client";
import type { Contact } from "../../src/shared/contacts";
import type { ContactDuplicate } from "../../src/shared/duplicates";
import {
  type FakeWebServer,
  contact,
  customFieldDefinition,
  fakeWebServer,
  ids,
  problem,
  renderWebApp,
} from "../helpers/webapp-fixtures";

/** The duplicates page's chunk compiles on first use, slowly on a busy 2-core machine. */
jest.setTimeout(120_000);

const ANNA = "00000000-0000-4000-8000-000000000d01";
const ANNIE = "00000000-0000-4000-8000-000000000d02";
const BO = "00000000-0000-4000-8000-000000000d03";
const BOB = "00000000-0000-4000-8000-000000000d04";

const person = (id: string, name: string, fields: Partial<Contact> = {}): Contact => ({
  ...contact({ id, displayName: name }),
  ...fields,
});

/** The fake server with the duplicates' routes answered as the server would: the pairs held here. */
function withDuplicates(server: FakeWebServer, held: ContactDuplicate[]) {
  const calls: { name: string; input: { params?: { id: string }; body?: unknown; query?: unknown } }[] = [];
  const failures = new Map<string, Error>();
  const base = server.api;
  server.api = (async (name: string, input: { params?: { id: string }; body?: unknown; query?: unknown }) => {
    if (!/Duplicate|merge/.test(name)) return base(name as never, input as never);
    calls.push({ name, input });
    const failure = failures.get(name);
    if (failure) {
      failures.delete(name);
      throw failure;
    }
    switch (name) {
      case "listContactDuplicates":
        return { items: [...held], nextCursor: null };
      case "listCompanyDuplicates":
        return { items: [], nextCursor: null };
      case "dismissContactDuplicate": {
        const [a, b] = (input.body as { ids: [string, string] }).ids;
        held.splice(
          held.findIndex((p) => p.first.id === a && p.second.id === b),
          1,
        );
        return { ids: [a, b], dismissed: true };
      }
      case "mergeContacts": {
        const body = input.body as { mergedId: string };
        const index = held.findIndex((p) => [p.first.id, p.second.id].includes(body.mergedId));
        const pair = held[index] as ContactDuplicate;
        held.splice(index, 1);
        const kept = pair.first.id === input.params?.id ? pair.first : pair.second;
        return { kept: { ...kept, version: kept.version + 1 }, mergedId: body.mergedId };
      }
    }
    throw new Error(`unexpected ${name}`);
  }) as unknown as ApiClient;
  return {
    received: (name: string) => calls.filter((c) => c.name === name).map((c) => c.input),
    failNext: (name: string, error: Error) => failures.set(name, error),
  };
}

const pairs = (): ContactDuplicate[] => [
  {
    first: person(ANNA, "Anna Berg", {
      title: "CTO",
      firstName: "Anna",
      customFields: { size: 10 },
      version: 3,
    }),
    second: person(ANNIE, "Annie Berg", {
      title: "Chief Technology Officer",
      firstName: "Anna",
      customFields: { size: 12 },
      version: 2,
    }),
    reasons: [
      { rule: "email", value: "anna@fabrikam.example" },
      { rule: "phone", value: "+46701234567" },
    ],
  },
  {
    first: person(BO, "Bo Lund"),
    second: person(BOB, "Bo Lund (old)"),
    reasons: [{ rule: "name_at_company", value: "bo lund" }],
  },
];

describe("the web app's duplicates page", () => {
  it("lists each pair with its reasons, and merges one with the values chosen field by field", async () => {
    const server = fakeWebServer({ role: "member" });
    const fake = withDuplicates(server, pairs());
    renderWebApp(server, "/app/duplicates");
    const list = await screen.findByRole("list", { name: "Likely duplicates" });
    expect(within(list).getByText("Anna Berg and Annie Berg")).toBeTruthy();
    expect(within(list).getByText("The same address in another form: anna@fabrikam.example")).toBeTruthy();
    expect(within(list).getByText("The same phone: +46701234567")).toBeTruthy();
    expect(within(list).getByText("The same name at the same company")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Review and merge Anna Berg and Annie Berg" }));
    // Only the fields where they differ are offered: the name, the job title and the custom field, not the first name.
    const choices = await screen.findByRole("table", { name: "Value to keep" });
    expect(
      within(choices)
        .getAllByRole("radiogroup")
        .map((g) => g.getAttribute("aria-label")),
    ).toEqual(["Name", "Job title", "Custom field size"]);
    // Keep Annie's record, but Anna's name; the title and size as Annie has them (the kept record's by default).
    fireEvent.click(screen.getByRole("radio", { name: "Keep Annie Berg" }));
    fireEvent.click(
      within(within(choices).getByRole("radiogroup", { name: "Name" })).getByRole("radio", {
        name: "Anna Berg",
      }),
    );
    fireEvent.click(screen.getByRole("button", { name: "Merge" }));
    // Asked once more, saying what stays and what moves, before anything is merged.
    const confirmMerge = await screen.findByRole("button", { name: "Merge into Annie Berg" });
    expect(screen.getByText("Merge Anna Berg into Annie Berg?")).toBeTruthy();
    expect(screen.getByText("Annie Berg is kept, with the values chosen above.")).toBeTruthy();
    expect(
      screen.getByText(/^Everything of Anna Berg moves to Annie Berg: its interactions, deals, tasks/),
    ).toBeTruthy();
    expect(fake.received("mergeContacts")).toHaveLength(0);
    fireEvent.click(confirmMerge);
    await waitFor(() => expect(fake.received("mergeContacts")).toHaveLength(1));
    expect(fake.received("mergeContacts")[0]).toEqual({
      params: { id: ANNIE },
      body: {
        version: 2,
        mergedId: ANNA,
        mergedVersion: 3,
        fields: { displayName: "merged", title: "kept" },
        customFields: { size: "kept" },
      },
    });
    expect(await screen.findByText("Merged into Annie Berg.")).toBeTruthy();
    const after = await screen.findByRole("list", { name: "Likely duplicates" });
    await waitFor(() => expect(within(after).queryByText("Anna Berg and Annie Berg")).toBeNull());
    expect(within(after).getByText("Bo Lund and Bo Lund (old)")).toBeTruthy();
  });

  it("dismisses a pair, and shows a refused merge with a way to try again", async () => {
    const server = fakeWebServer({ role: "member" });
    const fake = withDuplicates(server, pairs());
    renderWebApp(server, "/app/duplicates");
    fireEvent.click(
      await screen.findByRole("button", { name: "Bo Lund and Bo Lund (old) are not the same" }),
    );
    await waitFor(() =>
      expect(fake.received("dismissContactDuplicate")).toEqual([{ body: { ids: [BO, BOB] } }]),
    );
    await waitFor(() => expect(screen.queryByText("Bo Lund and Bo Lund (old)")).toBeNull());

    fireEvent.click(screen.getByRole("button", { name: "Review and merge Anna Berg and Annie Berg" }));
    fake.failNext("mergeContacts", problem(503, "store_busy", "The store is busy."));
    fireEvent.click(await screen.findByRole("button", { name: "Merge" }));
    fireEvent.click(await screen.findByRole("button", { name: "Merge into Anna Berg" }));
    expect(await screen.findByText(/The records could not be merged/)).toBeTruthy();
    // Nothing was stale: trying again sends the same request.
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Merged into Anna Berg.")).toBeTruthy();
    expect(fake.received("mergeContacts")).toHaveLength(2);
  });

  it("after a record changed meanwhile (409), reads both again, says what changed, and never resends the old versions", async () => {
    const listed = pairs();
    const anna = (listed[0] as ContactDuplicate).first;
    const annie = (listed[0] as ContactDuplicate).second;
    // What the server holds now: a colleague retitled Anna since the list was read.
    const server = fakeWebServer({
      role: "member",
      contacts: [{ ...anna, title: "Chief Executive", version: 4 }, annie],
    });
    const fake = withDuplicates(server, listed);
    renderWebApp(server, "/app/duplicates");
    fireEvent.click(await screen.findByRole("button", { name: "Review and merge Anna Berg and Annie Berg" }));
    fake.failNext(
      "mergeContacts",
      problem(409, "version_conflict", "The record was changed by someone else."),
    );
    fireEvent.click(await screen.findByRole("button", { name: "Merge" }));
    fireEvent.click(await screen.findByRole("button", { name: "Merge into Anna Berg" }));
    expect(await screen.findByText(/Someone changed one of the records since it was read/)).toBeTruthy();
    // The stale request cannot be sent again: Merge waits for the records to be read again.
    expect((screen.getByRole("button", { name: "Merge" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(
      await screen.findByText(
        "Changed meanwhile in Anna Berg: Job title. Review the choices and merge again.",
      ),
    ).toBeTruthy();
    const choices = screen.getByRole("table", { name: "Value to keep" });
    expect(
      within(within(choices).getByRole("radiogroup", { name: "Job title" })).getByRole("radio", {
        name: "Chief Executive",
      }),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Merge" }));
    fireEvent.click(await screen.findByRole("button", { name: "Merge into Anna Berg" }));
    expect(await screen.findByText("Merged into Anna Berg.")).toBeTruthy();
    const sent = fake
      .received("mergeContacts")
      .map((c) => c.body as { version: number; mergedVersion: number });
    expect(sent.map((b) => [b.version, b.mergedVersion])).toEqual([
      [3, 2],
      [4, 2],
    ]);
  });

  it("chooses a value over an empty one by default, names owners and custom fields, and lets Escape call the merge off", async () => {
    const server = fakeWebServer({
      role: "member",
      customFields: [
        customFieldDefinition({ key: "size", label: "Company size", type: "number", entity: "contact" }),
      ],
    });
    const held: ContactDuplicate[] = [
      {
        first: person(BO, "Bo Lund", {
          title: null,
          ownerId: ids.rita,
          customFields: { size: 10 },
          version: 5,
        }),
        second: person(BOB, "Bo Lund", {
          title: "Buyer",
          ownerId: ids.bo,
          customFields: { size: 40 },
          version: 7,
        }),
        reasons: [{ rule: "name_at_company", value: "bo lund" }],
      },
    ];
    const fake = withDuplicates(server, held);
    renderWebApp(server, "/app/duplicates");
    fireEvent.click(await screen.findByRole("button", { name: "Review and merge Bo Lund and Bo Lund" }));
    const choices = await screen.findByRole("table", { name: "Value to keep" });
    // The custom field by its label, once the definitions are read.
    await waitFor(() =>
      expect(
        within(choices)
          .getAllByRole("radiogroup")
          .map((g) => g.getAttribute("aria-label")),
      ).toEqual(["Job title", "Owner", "Company size"]),
    );
    const picked = (group: string) =>
      (
        within(within(choices).getByRole("radiogroup", { name: group }))
          .getAllByRole("radio")
          .find((r) => (r as HTMLInputElement).checked) as HTMLInputElement
      ).value;
    // The kept (first) record has no title: the other's is chosen; both have an owner and a size: the kept one's.
    expect([picked("Job title"), picked("Owner"), picked("Company size")]).toEqual([
      "second",
      "first",
      "first",
    ]);
    expect(await within(choices).findByText("Bo Admin")).toBeTruthy();
    expect(within(choices).getByText("Rita Rep")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Merge" }));
    const confirm = await screen.findByRole("dialog");
    fireEvent.keyDown(confirm, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(fake.received("mergeContacts")).toHaveLength(0);

    fireEvent.click(screen.getByRole("button", { name: "Merge" }));
    fireEvent.click(await screen.findByRole("button", { name: "Merge into Bo Lund" }));
    await waitFor(() => expect(fake.received("mergeContacts")).toHaveLength(1));
    expect(fake.received("mergeContacts")[0]).toEqual({
      params: { id: BO },
      body: {
        version: 5,
        mergedId: BOB,
        mergedVersion: 7,
        fields: { title: "merged", ownerId: "kept" },
        customFields: { size: "kept" },
      },
    });
  });

  it("says when there are no likely duplicates, and shows the companies' pairs on their tab", async () => {
    const server = fakeWebServer({ role: "member" });
    const fake = withDuplicates(server, []);
    renderWebApp(server, "/app/duplicates");
    expect(await screen.findByText(/No likely duplicates/)).toBeTruthy();
    fireEvent.click(screen.getByRole("tab", { name: "Companies" }));
    await waitFor(() => expect(fake.received("listCompanyDuplicates")).toHaveLength(1));
    expect(await screen.findByText(/No likely duplicates/)).toBeTruthy();
  });

  it("shows a problem when the pairs cannot be read, and reads them again on retry", async () => {
    const server = fakeWebServer({ role: "member" });
    const fake = withDuplicates(server, pairs());
    fake.failNext("listContactDuplicates", problem(403, "forbidden", "Not for you today."));
    renderWebApp(server, "/app/duplicates");
    expect(await screen.findByText(/The duplicates could not be read/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Anna Berg and Annie Berg")).toBeTruthy();
  });
});
