// The import rules of eslint.config.mjs, run as `npm test` runs them: each layer refuses what it must not import
// and accepts what it builds on. A rule that stopped matching (a moved folder, a mistyped pattern) fails here.
import path from "node:path";
import type { ESLint as ESLintClass } from "eslint";

const root = path.resolve(__dirname, "../..");
const LAYERING_RULES = new Set(["no-restricted-imports", "no-restricted-globals"]);

let eslint: ESLintClass;
beforeAll(async () => {
  const { ESLint } = await import("eslint");
  eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, "eslint.config.mjs") });
});

/** The layering problems ESLint finds in `code` as if it were the file at `file` (which need not exist). */
async function layeringProblems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = probe;\n`, {
    filePath: path.join(root, file),
  });
  if (!result) throw new Error(`ESLint returned nothing for ${file}`);
  return result.messages
    .filter((m) => m.ruleId !== null && LAYERING_RULES.has(m.ruleId))
    .map((m) => m.message);
}

const importing = (from: string) => `import { probe } from "${from}";`;

describe("the layers", () => {
  test.each([
    // The web app and src/ui never import the add-in.
    ["src/webapp/Probe.tsx", "../addin/core/outbox", /add-in is one front end/],
    ["src/webapp/pages/Probe.tsx", "../../addin/taskpane/i18n/i18n", /add-in is one front end/],
    ["src/ui/custom-fields/Probe.tsx", "../../addin/taskpane/services", /add-in is one front end/],
    // The client never imports Office, the add-in, a front end or React.
    ["src/client/probe.ts", "../addin/office/mailbox", /add-in is one front end|Office\.js/],
    ["src/client/probe.ts", "@microsoft/office-js", /Office\.js/],
    ["src/client/probe.ts", "react", /no React/],
    ["src/client/probe.ts", "../webapp/services", /web app is one front end/],
    // The commands never import the pane or React.
    ["src/addin/commands/probe.ts", "../taskpane/services", /task pane is React/],
    ["src/addin/commands/probe.ts", "../taskpane/i18n/i18n", /task pane is React/],
    ["src/addin/commands/probe.ts", "@fluentui/react-components", /no React/],
    // The add-in's core never imports React or the pane.
    ["src/addin/core/probe.ts", "react", /no React/],
    ["src/addin/core/probe.ts", "../taskpane/hooks/useOutbox", /task pane is React/],
    // The server never imports a front end.
    ["src/server/probe.ts", "../addin/office/mailbox", /front ends/],
    ["src/server/deals/probe.ts", "../../webapp/format", /front ends/],
    ["src/server/probe.ts", "../ui/custom-fields/field-values", /front ends/],
    ["src/server/probe.ts", "../client/api-client", /front ends/],
    // The contract imports neither side.
    ["src/shared/probe.ts", "../client/api-client", /front ends/],
    ["src/shared/probe.ts", "../server/app", /reached over HTTP/],
    ["src/shared/probe.ts", "node:fs", /browser too/],
  ])("%s may not import %s", async (file, from, reason) => {
    const problems = await layeringProblems(file, importing(from));
    // One problem per group the import falls in (the Office boundary is also the add-in's), each saying why.
    expect(problems).toContainEqual(expect.stringMatching(reason));
    for (const problem of problems) expect(problem).toContain(`'${from}' import is restricted`);
  });

  test.each([
    ["src/webapp/Probe.tsx", "../client/api-client"],
    ["src/webapp/Probe.tsx", "../ui/custom-fields/field-values"],
    ["src/ui/custom-fields/Probe.tsx", "../../client/problems"],
    ["src/client/probe.ts", "../shared/routes"],
    ["src/addin/commands/probe.ts", "../core/outbox"],
    ["src/addin/commands/probe.ts", "../../client/api-client"],
    ["src/addin/commands/probe.ts", "../office/host"],
    ["src/addin/commands/probe.ts", "../auth/sign-in"],
    ["src/addin/core/probe.ts", "../office/mailbox"],
    ["src/addin/core/probe.ts", "../../client/api-client"],
    // The pane is where React and the core meet.
    ["src/addin/taskpane/Probe.tsx", "react"],
    ["src/addin/taskpane/Probe.tsx", "../core/services"],
    ["src/addin/taskpane/Probe.tsx", "../../ui/custom-fields/field-values"],
    ["src/server/probe.ts", "../shared/routes"],
    ["src/server/sync/probe.ts", "./client-credentials"],
    ["src/shared/probe.ts", "./common"],
  ])("%s may import %s", async (file, from) => {
    expect(await layeringProblems(file, importing(from))).toEqual([]);
  });

  test("the web app takes Fluent's Dropdown and Combobox only through its own, which speak the reader's language", async () => {
    const fluent = (name: string) => `import { ${name} as probe } from "@fluentui/react-components";`;
    for (const name of ["Dropdown", "Combobox"])
      expect(await layeringProblems("src/webapp/pages/Probe.tsx", fluent(name))).toEqual([
        expect.stringMatching(/choice-inputs/),
      ]);
    expect(await layeringProblems("src/webapp/pages/Probe.tsx", fluent("Option"))).toEqual([]);
    expect(await layeringProblems("src/webapp/components/choice-inputs.tsx", fluent("Dropdown"))).toEqual([]);
  });

  test("only src/addin/office/ names the Office.js global", async () => {
    const code = "const probe = Office.context.mailbox;";
    for (const file of ["src/client/probe.ts", "src/addin/core/probe.ts", "src/addin/commands/probe.ts"])
      expect(await layeringProblems(file, code)).toEqual([expect.stringMatching(/Office\.js/)]);
    expect(await layeringProblems("src/addin/office/probe.ts", code)).toEqual([]);
  });
});
