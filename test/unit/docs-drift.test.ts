import { type RouteContract, routes } from "../../src/shared/routes";
import {
  type DriftInput,
  anchorsOf,
  brokenLinks,
  docsDrift,
  existsInRepository,
  envReadsIn,
  repositoryDriftInput,
  repositoryPages,
  variablesNamedIn,
} from "../helpers/docs-drift";

const contractRoutes = Object.values(routes as Record<string, RouteContract>).map(({ method, path }) => ({
  method,
  path,
}));

/** A tiny repository whose docs agree with its code; each test below breaks one thing. */
function agreeing(): DriftInput {
  return {
    settingsCode: [
      { file: "src/server/main.ts", text: "const dir = process.env.RAPPORT_DATA_DIR ?? './data';" },
      { file: "scripts/start.ts", text: 'const port = process.env["ADDIN_PORT"];' },
    ],
    configSource: "const Env = z.object({\n  PORT: z.coerce.number(),\n  LOG_LEVEL: z.string(),\n});\n",
    otherCode: [{ file: "test/helpers/x.ts", text: "if (process.env.CHROMIUM_PATH) run();" }],
    docs: [
      {
        file: "README.md",
        text: "Run `PORT=4000 npm start`; the store is in `RAPPORT_DATA_DIR`, quiet with `LOG_LEVEL`.",
      },
      {
        file: "docs/configuration.md",
        text: '`ADDIN_PORT` moves the dev server.\n\n```sh\nTOKEN=$(npm run --silent token)\ncurl -H "Authorization: Bearer $TOKEN" …\n```\n',
      },
    ],
    otherDocs: [
      { file: "SECURITY.md", text: "Tests drive Chromium at `CHROMIUM_PATH`; probes: `GET /readyz`." },
    ],
    apiDoc: { file: "docs/api.md", text: "- `GET /api/v1/contacts/:id`\n- `POST /api/v1/contacts`\n" },
    routes: [
      { method: "GET", path: "/api/v1/contacts/:id" },
      { method: "POST", path: "/api/v1/contacts" },
    ],
    serverCode: [{ file: "src/server/app.ts", text: 'app.get("/readyz", ready);' }],
    npmScripts: ["start", "token", "test"],
  };
}

describe("the docs against the code", () => {
  it("finds nothing to say when the docs and the code agree", () => {
    expect(docsDrift(agreeing())).toEqual([]);
  });

  it("finds a variable the code reads that no doc names, by scanning the code and the config schema", () => {
    const input = agreeing();
    input.settingsCode.push({ file: "src/server/x.ts", text: "const t = process.env.RAPPORT_NEW_TIMEOUT;" });
    input.configSource = input.configSource.replace("});", "  RAPPORT_NEW_LIMIT: z.number(),\n});");
    expect(docsDrift(input)).toEqual([
      "RAPPORT_NEW_LIMIT is read by the code but named in no doc",
      "RAPPORT_NEW_TIMEOUT is read by the code but named in no doc",
    ]);
  });

  it("finds a variable, a route and an npm script that the docs name and that do not exist", () => {
    const input = agreeing();
    input.docs.push({
      file: "docs/troubleshooting.md",
      text: "Set `RAPPORT_MADE_UP=1`, ask `GET /api/v1/contacts/:id/made-up`, then run `npm run made-up`.",
    });
    expect(docsDrift(input)).toEqual([
      "docs/troubleshooting.md names RAPPORT_MADE_UP, which no code reads",
      "docs/troubleshooting.md names GET /api/v1/contacts/:id/made-up, which the server does not answer",
      "docs/troubleshooting.md names npm run made-up, which package.json does not define",
    ]);
  });

  it("finds a route of the contract that the API page leaves out", () => {
    const input = agreeing();
    input.routes.push({ method: "DELETE", path: "/api/v1/contacts/:id" });
    expect(docsDrift(input)).toEqual(["docs/api.md does not list DELETE /api/v1/contacts/:id"]);
  });

  it("reads environment reads and named variables the way the code and the docs write them", () => {
    expect([...envReadsIn("const { A_B, C } = process.env; env.D_E; process.env['F'];")].sort()).toEqual([
      "A_B",
      "C",
      "D_E",
      "F",
    ]);
    expect([...variablesNamedIn("`X_Y` and\n```sh\nZ=1 npm start\nW=$(x); echo $W\n```\n")].sort()).toEqual([
      "X_Y",
      "Z",
    ]);
  });

  it("finds the repository's docs in step with its code: every setting, every route, nothing made up", () => {
    expect(docsDrift(repositoryDriftInput(contractRoutes))).toEqual([]);
  });
});

describe("the links between the docs", () => {
  const pages = [
    {
      file: "README.md",
      text: "See [the deploy guide](docs/deploy.md#2-tls-caddy-in-front), ![the pane](docs/images/pane.png).",
    },
    {
      file: "docs/deploy.md",
      text: "# Deploying\n\n## 2. TLS: Caddy in front\n\nBack to [the README](../README.md), [below](#deploying).\n",
    },
  ];
  const files = new Set(["README.md", "docs/deploy.md", "docs/images/pane.png"]);
  const exists = (file: string) => files.has(file);

  it("finds nothing to say when every link reaches a file and a heading", () => {
    expect(brokenLinks(pages, exists)).toEqual([]);
  });

  it("finds a link outside the repository, to a file that is not there, and to a heading the page does not have", () => {
    const broken = [
      ...pages,
      {
        file: "docs/api.md",
        text: "[Shared notes](../shared/NOTES.md), [TLS](deploy.md#3-tls), [up](#nowhere), `[code](no.md)`.\n",
      },
    ];
    broken[0] = { file: "README.md", text: `${pages[0]?.text} See [the style](../shared/STYLE.md).` };
    expect(brokenLinks(broken, exists)).toEqual([
      "README.md links ../shared/STYLE.md, outside the repository",
      "docs/api.md links ../shared/NOTES.md, and there is no shared/NOTES.md",
      "docs/api.md links deploy.md#3-tls, and docs/deploy.md has no heading for #3-tls",
      "docs/api.md links #nowhere, and docs/api.md has no heading for #nowhere",
    ]);
  });

  it("names headings as GitHub anchors them, a repeated one numbered", () => {
    expect([
      ...anchorsOf("# 7. Running several servers\n## `npm start` is for development\n## Notes\n## Notes\n"),
    ]).toEqual(["7-running-several-servers", "npm-start-is-for-development", "notes", "notes-1"]);
  });

  it("finds every link in README.md, the other top-level pages and docs/ reaching a file and heading that exist", () => {
    const repository = repositoryPages();
    expect(repository.map((page) => page.file)).toEqual(
      expect.arrayContaining(["README.md", "docs/deploy.md"]),
    );
    expect(brokenLinks(repository, existsInRepository)).toEqual([]);
  });
});
