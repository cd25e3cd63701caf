// PGlite loads its WASM with import(), which jest only allows under --experimental-vm-modules (see package.json).
// ts-jest only transpiles (tsc --noEmit type-checks the whole tree in `npm test`), which keeps the suite fast.
// jose, strip-bom and uuid are published as ES modules only, so they go through the same transform, as do
// htmlparser2 and its DOM packages (sanitize-html's parser, which Node's own require loads as ES modules), and
// Lexical 0.52 with @preact/signals-core under it (the template editor; ES modules only).
/** @type {import("jest").Config} */
const config = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts", "**/*.test.tsx"],
  transform: {
    "^.+\\.(t|j|mj)sx?$": [
      "ts-jest",
      {
        tsconfig: {
          module: "commonjs",
          moduleResolution: "node10",
          allowJs: true,
          jsx: "react-jsx",
          isolatedModules: true,
        },
        diagnostics: false,
      },
    ],
  },
  // Also strip-bom and uuid, which office-addin-mock pulls in (nested, through office-addin-manifest).
  transformIgnorePatterns: [
    "/node_modules/(?!(.*/)?(jose|strip-bom|uuid|htmlparser2|domhandler|domutils|dom-serializer|domelementtype|entities|lexical|@lexical/[^/]+|@preact/signals-core)/)",
  ],
  globalSetup: "<rootDir>/test/helpers/global-setup.ts",
  globalTeardown: "<rootDir>/test/helpers/global-teardown.ts",
  setupFiles: ["<rootDir>/test/helpers/jsdom-globals.ts"],
  setupFilesAfterEnv: ["<rootDir>/test/helpers/dom-waits.js"],
  reporters: ["default", "<rootDir>/test/helpers/summary-reporter.js"],
  testTimeout: 30000,
  // Two files at a time (jest's default on two cores is one): most suites wait on a server process, PostgreSQL
  // or Chromium, so a second file uses what the first leaves idle. Each file has its own store or database.
  maxWorkers: 2,
  // A worker that has run many files keeps what they left on its heap; one past this is replaced before its next
  // file (a worker ran out of memory late in a full run once the suite passed 165 files).
  workerIdleMemoryLimit: "1536MB",
};
module.exports = config;
