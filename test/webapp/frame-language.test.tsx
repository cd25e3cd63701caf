/**
 * @jest-environment jsdom
 */
import { fireEvent, render, screen, within } from "@testing-library/react";
import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "../../src/client/problems";
import type { ApiClient } from "../../src/client/api-client";
import { Problem } from "../../src/shared/errors";
import { ImportPreview } from "../../src/shared/imports";
import { WebAppProviders } from "../../src/webapp/WebApp";
import { ProblemMessage } from "../../src/webapp/components/ProblemMessage";
import { SignInGate } from "../../src/webapp/components/SignInGate";
import type { Language } from "../../src/shared/languages";
import { fakeWebServer, problem, renderWebApp } from "../helpers/webapp-fixtures";

function inLanguage(language: Language, children: React.ReactNode) {
  return render(
    // No retries: a failure shows at once.
    <WebAppProviders
      queryClient={new QueryClient({ defaultOptions: { queries: { retry: false } } })}
      language={language}
    >
      {children}
    </WebAppProviders>,
  );
}

/** What fetch answers, as far as the client reads it (jsdom has no Response). */
const answer = (status: number, body: unknown) =>
  ({
    ok: status < 400,
    status,
    headers: new Headers(),
    json: async () => (body === undefined ? Promise.reject(new SyntaxError("empty")) : body),
  }) as unknown as Response;

describe("the sign-in gate in the browser's language", () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
    window.localStorage.clear();
    window.sessionStorage.clear();
  });

  it("asks for an address in Croatian, then for a token where nothing mints one", async () => {
    const asked: string[] = [];
    global.fetch = (async (url: string) => {
      asked.push(url);
      if (url.startsWith("/api/v1/sign-in")) return answer(200, { entra: null, localIssuer: true });
      return answer(404, undefined);
    }) as typeof fetch;
    inLanguage("hr", <SignInGate>{() => <p>signed in</p>}</SignInGate>);
    const form = await screen.findByRole("form", { name: "Prijava" });
    expect(within(form).getByRole("heading", { name: "Prijava u Rapport" })).toBeTruthy();
    expect(within(form).getByRole("textbox", { name: /Adresa e-pošte/ })).toBeTruthy();
    expect(within(form).getByText(/prijavite se bilo kojom adresom svoje organizacije/)).toBeTruthy();
    expect(within(form).queryByText(/Sign in/)).toBeNull();

    fireEvent.click(within(form).getByRole("button", { name: "Prijava" }));
    expect(await within(form).findByText(/Zalijepite token/)).toBeTruthy();
    expect(within(form).getByRole("textbox", { name: /Token/ })).toBeTruthy();
    expect(within(form).queryByText(/Paste a token/)).toBeNull();
    expect(asked.some((url) => url.startsWith("/preview/token"))).toBe(true);
  });

  it("says in Swedish that Rapport cannot start when the server cannot be reached", async () => {
    global.fetch = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    inLanguage("sv", <SignInGate>{() => <p>signed in</p>}</SignInGate>);
    expect(
      await screen.findByText(
        "Rapport kan inte starta: Rapport går inte att nå. Kontrollera anslutningen och försök sedan igen.",
      ),
    ).toBeTruthy();
    expect(screen.getByRole("button", { name: "Försök igen" })).toBeTruthy();
    expect(screen.queryByText(/cannot be reached/)).toBeNull();
  });
});

describe("a problem in the reader's language", () => {
  const conflict = problem(409, "version_conflict", "The deal changed meanwhile.");

  it("chooses the sentence by the problem's code and keeps the server's English words as details", () => {
    inLanguage("sv", <ProblemMessage error={conflict} what="Affären sparades inte" onRetry={() => {}} />);
    expect(
      screen.getByText(
        "Affären sparades inte: Någon har ändrat detta under tiden. Läs in igen för att se ändringen och försök sedan på nytt.",
      ),
    ).toBeTruthy();
    expect(screen.getByText("Detaljer: The deal changed meanwhile.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Försök igen" })).toBeTruthy();
  });

  it("names refused fields' problem in German, with the fields' own words in the details", () => {
    const invalid = new ApiError(
      400,
      Problem.parse({
        type: "about:blank",
        title: "invalid_request",
        status: 400,
        detail: "The request body is not valid.",
        code: "invalid_request",
        errors: [{ path: "body.customFields.size", message: "at most 1000" }],
      }),
    );
    inLanguage("de", <ProblemMessage error={invalid} />);
    expect(
      screen.getByText(
        "Einige Ihrer Eingaben sind ungültig. Korrigieren Sie sie und versuchen Sie es erneut.",
      ),
    ).toBeTruthy();
    expect(screen.getByText("Details: The request body is not valid. at most 1000")).toBeTruthy();
  });

  it("says in Croatian that too many requests came, and by status where the server gave no problem", () => {
    inLanguage(
      "hr",
      <>
        <ProblemMessage error={problem(429, "rate_limited", "Too many requests; try again in 5 s.")} />
        <ProblemMessage error={new ApiError(403, null)} />
      </>,
    );
    expect(
      screen.getByText("Previše zahtjeva u kratkom vremenu. Pričekajte trenutak, a zatim pokušajte ponovno."),
    ).toBeTruthy();
    expect(screen.getByText("Pojedinosti: Too many requests; try again in 5 s.")).toBeTruthy();
    expect(screen.getByText("Nemate dopuštenje za to.")).toBeTruthy();
  });

  it("in English keeps the server's own words, without a details line", () => {
    inLanguage("en", <ProblemMessage error={conflict} what="The deal was not saved" />);
    expect(screen.getByText("The deal was not saved: The deal changed meanwhile.")).toBeTruthy();
    expect(screen.queryByText(/^Details:/)).toBeNull();
  });
});

describe("the import page in Croatian", () => {
  const preview = ImportPreview.parse({
    format: "csv",
    entity: "contacts",
    delimiter: ";",
    columns: [
      { index: 0, header: "Ime i prezime", field: "displayName", samples: ["Ana Horvat"] },
      { index: 1, header: "Posao", field: null, samples: ["Voditeljica nabave"] },
    ],
    mapping: [{ column: 0, field: "displayName" }],
    suggested: true,
    targets: [
      { field: "displayName", label: "Name", multiple: false, type: null, required: true },
      { field: "title", label: "Job title", multiple: false, type: null, required: false },
      { field: "customFields.region", label: "Regija", multiple: false, type: "text", required: false },
    ],
    onDuplicate: "skip",
    counts: {
      rows: 3,
      valid: 2,
      invalid: 1,
      duplicatesOfRecords: 0,
      duplicatesInFile: 0,
      create: 2,
      update: 0,
      skip: 0,
    },
    rows: [],
    errors: [
      { line: 4, field: "customFields.region", code: "value_refused", message: "at most 50 characters" },
      {
        line: 5,
        field: "displayName",
        code: "name_or_email_needed",
        message: "a name or an email address is needed",
      },
      {
        line: 6,
        field: "companyName",
        code: "company_not_stored",
        message:
          '"Novi d.o.o." is not a stored company, and a new company needs "Regija": import the companies first',
        values: { company: "Novi d.o.o.", labels: "Regija" },
      },
    ],
  });

  it("speaks Croatian around the file's own column names, with Croatian plural forms", async () => {
    const server = fakeWebServer();
    const answer = server.api;
    server.api = (async (name: string, input: never) =>
      name === "previewImport" ? preview : answer(name as never, input)) as unknown as ApiClient;
    renderWebApp(server, "/app/import", { language: "hr" });
    expect(await screen.findByRole("heading", { name: "Uvoz i izvoz" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Izvezi kontakte kao XLSX" })).toBeTruthy();
    const csv = "Ime i prezime;Posao\r\nAna Horvat;Voditeljica nabave\r\n";
    // jsdom's File cannot be read as text; a browser's can.
    const file = Object.assign(new File([csv], "sajam.csv", { type: "text/csv" }), { text: async () => csv });
    fireEvent.change(screen.getByTestId("import-file"), { target: { files: [file] } });

    const columns = await screen.findByRole("table", {
      name: "Stupci datoteke i polje koje svaki ispunjava",
    });
    // The file's column names are its own; Rapport's fields are Croatian, a custom field keeps its label.
    expect(within(columns).getByText("Ime i prezime")).toBeTruthy();
    const field = within(columns).getByRole("combobox", { name: "Polje za stupac Posao" });
    const options = within(field)
      .getAllByRole("option")
      .map((o) => o.textContent);
    expect(options).toEqual(["Izostavi", "Puno ime (obavezno)", "Radno mjesto", "Regija"]);
    expect(
      screen.getByText(
        "Povezano prema nazivima stupaca (odvojenima točkama sa zarezom). Promijenite ono što nije točno.",
      ),
    ).toBeTruthy();
    expect(
      screen.getByText(
        "3 retka, 2 za stvaranje, 0 za ažuriranje, 0 za preskakanje, s pogreškama: 1 (kontakti).",
      ),
    ).toBeTruthy();
    expect(screen.getByText("1 redak nije moguće uvesti u ovakvom obliku.")).toBeTruthy();
    const errors = screen.getByRole("table", { name: "Pogreške po retcima" });
    expect(within(errors).getByText("Regija")).toBeTruthy();
    // Why, in Croatian: by the row error's code, a refused value with the contract's reason after.
    expect(within(errors).getByText("Vrijednost nije prihvaćena: at most 50 characters")).toBeTruthy();
    expect(within(errors).getByText("Potrebno je ime ili adresa e-pošte.")).toBeTruthy();
    expect(
      within(errors).getByText(
        "„Novi d.o.o.” nije spremljena tvrtka, a nova tvrtka treba Regija: najprije uvezite tvrtke.",
      ),
    ).toBeTruthy();
    expect(screen.getByRole("button", { name: "Uvezi 2 kontakta" })).toBeTruthy();
    expect(screen.queryByText(/Choose|Import|rows/)).toBeNull();
  });
});
