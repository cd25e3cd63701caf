// The rule of eslint.config.mjs against tests narrowed by hand, run as `npm test` runs it: every literal .only and
// .skip (and fit, xit, ...) in a test file is refused, and a suite's run-time choice to skip is not. A form the
// rule stopped matching (a changed selector, a moved folder) fails here.
import path from "node:path";
import type { ESLint as ESLintClass } from "eslint";

const root = path.resolve(__dirname, "../..");

let eslint: ESLintClass;
beforeAll(async () => {
  const { ESLint } = await import("eslint");
  eslint = new ESLint({ cwd: root, overrideConfigFile: path.join(root, "eslint.config.mjs") });
});

/** What the rule says about `code` as if it were the file at `file` (which need not exist). */
async function narrowingProblems(code: string, file = "test/unit/probe.test.ts"): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath: path.join(root, file) });
  if (!result) throw new Error(`ESLint returned nothing for ${file}`);
  return result.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
}

const body = "() => undefined";

describe("tests narrowed by hand", () => {
  test.each([
    `it.only("runs alone", ${body});`,
    `test.only("runs alone", ${body});`,
    `describe.only("runs alone", ${body});`,
    `it.skip("never runs", ${body});`,
    `test.skip("never runs", ${body});`,
    `describe.skip("never runs", ${body});`,
    `fit("runs alone", ${body});`,
    `fdescribe("runs alone", ${body});`,
    `xit("never runs", ${body});`,
    `xtest("never runs", ${body});`,
    `xdescribe("never runs", ${body});`,
    `test.concurrent.only("runs alone", ${body});`,
    `it.only.each([[1], [2]])("runs alone with %s", ${body});`,
    `describe.skip.each([[1]])("never runs with %s", ${body});`,
    'it.skip.each`\n  n\n  ${1}\n`("never runs with $n", () => undefined);',
    `xit.each([[1]])("never runs with %s", ${body});`,
  ])("refuses %s", async (code) => {
    expect(await narrowingProblems(code)).toEqual([expect.stringMatching(/narrows what CI runs/)]);
  });

  test("refuses them in the DOM suites' .tsx files and the helpers too", async () => {
    for (const file of ["test/webapp/probe.test.tsx", "test/helpers/probe.ts", "test/e2e/probe.test.ts"])
      expect(await narrowingProblems(`it.only("runs alone", ${body});`, file)).toHaveLength(1);
  });

  test.each([
    // A suite that needs what this machine may lack chooses at run time, and says why it skipped.
    `const ok = process.env.X === "1";\n(ok ? describe : describe.skip)("needs X", ${body});`,
    `const describeOnPostgres = process.env.X ? describe : describe.skip;\ndescribeOnPostgres("needs X", ${body});`,
    `const ok = process.env.X === "1";\n(ok ? describe.each : describe.skip.each)([[1]])("needs X %s", ${body});`,
    `describe("runs", () => { it("runs", ${body}); test.each([[1]])("runs %s", ${body}); });`,
    `describe.each([[1]])("runs %s", ${body});`,
    // Other things called only or skip are not tests.
    `const rows = { skip: (n: number) => n, only: (n: number) => n };\nrows.skip(1);\nrows.only(2);`,
  ])("accepts %s", async (code) => {
    expect(await narrowingProblems(code)).toEqual([]);
  });

  test("leaves the source tree alone: the rule is the tests'", async () => {
    expect(await narrowingProblems(`it.only("x", ${body});`, "src/server/probe.ts")).toEqual([]);
  });
});
