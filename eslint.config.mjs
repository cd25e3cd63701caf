import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** A group of imports one layer may not make, and why (the message ESLint shows). */
const group = (patterns, message) => ({ group: patterns, message });
const SERVER = group(
  ["**/server/**"],
  "The server is reached over HTTP through src/client/, never imported.",
);
const ADDIN = group(
  ["**/addin/**"],
  "The Outlook add-in is one front end; what others share lives in src/client/ or src/ui/.",
);
const WEBAPP = group(
  ["**/webapp/**"],
  "The web app is one front end; what others share lives in src/client/ or src/ui/.",
);
const UI = group(["**/ui/**"], "src/ui/ holds React pieces; this layer sits below React.");
const FRONT_ENDS = group(
  ["**/addin/**", "**/webapp/**", "**/ui/**", "**/client/**"],
  "The front ends (src/addin, src/webapp, src/ui, src/client) build on this layer, never the other way round.",
);
const PANE = group(
  ["**/taskpane/**", "**/preview/**"],
  "The task pane is React; the commands and what they build on (core, auth, office) stay without it.",
);
const REACT = group(
  ["react", "react/*", "react-dom", "react-dom/*", "@fluentui/*", "@tanstack/react-query"],
  "This layer is plain TypeScript: the commands bundle and the client load no React.",
);
const OFFICE = group(
  ["**/office/**", "@microsoft/office-js", "@microsoft/office-js/*"],
  "Office.js is used behind src/addin/office/ only, and only the add-in has it.",
);
const NODE = group(["node:*"], "src/shared/ runs in the browser too.");
const ENGLISH_CHOICES = {
  group: ["@fluentui/react-components"],
  importNames: ["Dropdown", "Combobox"],
  message:
    "Fluent's Dropdown and Combobox name their buttons in English: use src/webapp/components/choice-inputs.tsx.",
};

/**
 * A test narrowed by hand (`it.only`, `describe.skip`, `fit`, `xit`, ...) lets CI pass without running it (a skip)
 * or the rest of its file (an only). Only the literal calls are refused: a suite that cannot run on this machine picks
 * `describe.skip` at run time, as a value (`(ok ? describe : describe.skip)(...)`), and says why it skipped.
 */
const TEST_FUNCTION = "/^(describe|it|test)$/";
const FOCUS_OR_SKIP = "/^(only|skip)$/";
const FOCUSED_OR_SKIPPED = "/^(fit|fdescribe|xit|xdescribe|xtest)$/";
const NARROWED_MESSAGE =
  "A literal .only or .skip (fit, xit, ...) narrows what CI runs: remove it. A suite that cannot run here chooses " +
  "describe.skip at run time and says why (see test/helpers/stores.ts).";
const EACH = '[property.name="each"]';
const narrowedTests = [
  // it.only(...), describe.skip(...)
  `CallExpression > MemberExpression.callee[object.name=${TEST_FUNCTION}][property.name=${FOCUS_OR_SKIP}]`,
  // test.concurrent.only(...)
  `CallExpression > MemberExpression.callee[property.name=${FOCUS_OR_SKIP}] > MemberExpression.object[object.name=${TEST_FUNCTION}]`,
  // it.only.each(...)(...), describe.skip.each`...`(...)
  `CallExpression > MemberExpression.callee${EACH} > MemberExpression.object[property.name=${FOCUS_OR_SKIP}]`,
  `TaggedTemplateExpression > MemberExpression.tag${EACH} > MemberExpression.object[property.name=${FOCUS_OR_SKIP}]`,
  // fit(...), xdescribe(...), and their .each
  `CallExpression > Identifier.callee[name=${FOCUSED_OR_SKIPPED}]`,
  `CallExpression > MemberExpression.callee${EACH} > Identifier.object[name=${FOCUSED_OR_SKIPPED}]`,
  `TaggedTemplateExpression > MemberExpression.tag${EACH} > Identifier.object[name=${FOCUSED_OR_SKIPPED}]`,
].map((selector) => ({ selector, message: NARROWED_MESSAGE }));

/** The import rule for the files under some directories: every group they may not import. */
function layer(directories, groups) {
  return {
    files: directories.flatMap((dir) => [`${dir}/**/*.ts`, `${dir}/**/*.tsx`]),
    rules: { "no-restricted-imports": ["error", { patterns: groups }] },
  };
}

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "data/", "coverage/", "test-results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { module: "writable", require: "readonly", __dirname: "readonly", process: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  // The layers, and who may import whom (ARCHITECTURE.md draws it; test/unit/layering.test.ts shows each rule
  // refusing a forbidden import). In flat config the last block that sets a rule for a file wins, so each block
  // lists all of its directory's restrictions, built from the groups below.
  layer(["src/shared"], [SERVER, FRONT_ENDS, NODE]),
  layer(["src/server"], [FRONT_ENDS]),
  layer(["src/client"], [SERVER, ADDIN, WEBAPP, UI, OFFICE, REACT]),
  layer(["src/ui"], [SERVER, ADDIN, WEBAPP]),
  layer(["src/webapp"], [SERVER, ADDIN, ENGLISH_CHOICES]),
  { ...layer(["src/webapp"], [SERVER, ADDIN]), files: ["src/webapp/components/choice-inputs.tsx"] },
  layer(["src/addin"], [SERVER, WEBAPP]),
  // What the commands build on: the pane's React never reaches the ribbon command or the on-send handler.
  layer(["src/addin/core", "src/addin/auth", "src/addin/office"], [SERVER, WEBAPP, PANE, REACT]),
  layer(["src/addin/commands"], [SERVER, WEBAPP, PANE, REACT]),
  {
    // test/unit/narrowed-tests.test.ts shows each form refused, and the run-time choice of a suite accepted.
    files: ["test/**/*.ts", "test/**/*.tsx"],
    rules: { "no-restricted-syntax": ["error", ...narrowedTests] },
  },
  {
    // Office.js is a global, so no import rule sees it: only the Office boundary may name it.
    files: ["src/**/*.ts", "src/**/*.tsx"],
    ignores: ["src/addin/office/**"],
    rules: {
      "no-restricted-globals": [
        "error",
        { name: "Office", message: "Office.js is used behind src/addin/office/ only." },
        { name: "OfficeRuntime", message: "Office.js is used behind src/addin/office/ only." },
      ],
    },
  },
);
