import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
  {
    // Imports flow one way: shared/ is the contract and imports neither program.
    files: ["src/shared/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["**/server/**", "**/addin/**", "node:*"] }],
    },
  },
  {
    files: ["src/server/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/addin/**", "**/webapp/**"] }] },
  },
  {
    files: ["src/addin/**/*.ts", "src/addin/**/*.tsx"],
    rules: { "no-restricted-imports": ["error", { patterns: ["**/server/**", "**/webapp/**"] }] },
  },
  {
    // Pieces the pane and the web app share: React and the API client only, never one surface's own code.
    files: ["src/ui/**/*.ts", "src/ui/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["**/server/**", "**/webapp/**", "**/addin/office/**", "**/addin/taskpane/**"] },
      ],
    },
  },
  {
    // The web app is a browser page with no Office.js: of the add-in it uses the API client and local sign-in.
    files: ["src/webapp/**/*.ts", "src/webapp/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "**/server/**",
            "**/addin/office/**",
            "**/addin/auth/**",
            "**/addin/taskpane/**",
            "**/addin/commands/**",
            "**/addin/preview/**",
          ],
        },
      ],
    },
  },
);
