/**
 * @jest-environment jsdom
 */
import { fireEvent, screen, waitFor } from "@testing-library/react";
import type { ApiClient } from "../../src/client/api-client";
import { ImportPreview, type ImportPreviewRequest } from "../../src/shared/imports";
import { fakeWebServer, renderWebApp } from "../helpers/webapp-fixtures";

/** The import page's chunk compiles on first use, slowly on a busy 2-core machine. */
jest.setTimeout(120_000);

/** A preview as the server answers it: the country it read phones in (the one sent, else the user's, Sweden). */
const previewFor = (body: ImportPreviewRequest) =>
  ImportPreview.parse({
    format: "csv",
    entity: "contacts",
    delimiter: ",",
    columns: [
      { index: 0, header: "Name", field: "displayName", samples: ["Dag H"] },
      { index: 1, header: "Phone", field: "phone", samples: ["070 123 45 67"] },
    ],
    mapping: [
      { column: 0, field: "displayName" },
      { column: 1, field: "phone" },
    ],
    suggested: true,
    targets: [{ field: "displayName", label: "Name", multiple: false, type: null, required: true }],
    onDuplicate: "skip",
    country: body.country === undefined ? "SE" : body.country,
    counts: {
      rows: 1,
      valid: 1,
      invalid: 0,
      duplicatesOfRecords: 0,
      duplicatesInFile: 0,
      create: 1,
      update: 0,
      skip: 0,
    },
    rows: [],
    errors: [],
  });

describe("the import page's country of phones", () => {
  it("shows the country the server read phones in, and sends the one chosen (or none) from then on", async () => {
    const server = fakeWebServer();
    const answer = server.api;
    const previews: ImportPreviewRequest[] = [];
    server.api = (async (name: string, input: { body: ImportPreviewRequest }) => {
      if (name !== "previewImport") return answer(name as never, input as never);
      previews.push(input.body);
      return previewFor(input.body);
    }) as unknown as ApiClient;
    renderWebApp(server, "/app/import");
    const csv = "Name,Phone\nDag H,070 123 45 67\n";
    // jsdom's File cannot be read as text; a browser's can.
    const file = Object.assign(new File([csv], "fair.csv", { type: "text/csv" }), { text: async () => csv });
    fireEvent.change(await screen.findByTestId("import-file"), { target: { files: [file] } });

    const country = (await screen.findByRole("combobox", {
      name: /Phones written without a country code are from/,
    })) as HTMLSelectElement;
    // Not asked for: the server's default, which it named.
    expect(previews[0]?.country).toBeUndefined();
    await waitFor(() => expect(country.value).toBe("SE"));
    expect(country.selectedOptions[0]?.textContent).toBe("Sweden");

    fireEvent.change(country, { target: { value: "NO" } });
    await waitFor(() => expect(previews.at(-1)?.country).toBe("NO"));
    fireEvent.change(country, { target: { value: "" } });
    await waitFor(() => expect(previews.at(-1)?.country).toBeNull());
    await waitFor(() => expect(country.value).toBe(""));
    expect(country.selectedOptions[0]?.textContent).toBe("No country (keep them as written)");
  });
});
