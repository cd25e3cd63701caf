import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/**
 * The web app's words come from its catalogues: a page that writes English in its JSX (text, or a label, title or
 * placeholder given as a literal) shows English whatever the user's language. This reads the source as the compiler
 * does and names each such literal, so one added later fails here before a Swedish user sees it.
 */

const ROOT = join(__dirname, "../..");

/** The web app and what it shares with the pane speak only through their catalogues. */
const areas = ["src/webapp", "src/ui"];

/** What a user reads: an attribute given a literal here is shown or spoken. */
const SHOWN = new Set([
  "label",
  "title",
  "placeholder",
  "aria-label",
  "alt",
  "what",
  "hint",
  "description",
  "validationMessage",
  "header",
  "content",
  "text",
  "emptyText",
  "confirm",
  "heading",
]);

/** Words of no language: the product's name, symbols, a lone letter or a number. */
function isWords(text: string): boolean {
  const letters = text.replace(/Rapport/g, "").match(/\p{L}{2,}/gu);
  return letters !== null;
}

function sourceFiles(path: string): string[] {
  const full = join(ROOT, path);
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full).flatMap((name) => sourceFiles(join(path, name)));
}

export function englishLiterals(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const report = (node: ts.Node, literal: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${relative(ROOT, file)}:${line + 1}: ${literal.trim().slice(0, 80)}`);
  };
  /** A literal that ends up as a JSX child: directly, or as a branch of a condition or a fallback. */
  const shownLiteral = (node: ts.Expression): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (isWords(node.text)) report(node, node.text);
    } else if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(" ");
      if (isWords(parts)) report(node, parts);
    } else if (ts.isConditionalExpression(node)) {
      shownLiteral(node.whenTrue);
      shownLiteral(node.whenFalse);
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken
    ) {
      shownLiteral(node.right);
    } else if (ts.isParenthesizedExpression(node)) shownLiteral(node.expression);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && isWords(node.text)) report(node, node.text);
    else if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent))
      shownLiteral(node.expression);
    else if (ts.isJsxAttribute(node) && SHOWN.has(node.name.getText(source)) && node.initializer) {
      const value = node.initializer;
      if (ts.isStringLiteral(value)) {
        if (isWords(value.text)) report(value, value.text);
      } else if (ts.isJsxExpression(value) && value.expression) shownLiteral(value.expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the web app's words", () => {
  it("finds English written into JSX (a test of the test)", () => {
    const found = englishLiterals(join(__dirname, "fixtures/english-literal.tsx"));
    expect(found.map((line) => line.replace(/^.*?:\d+: /, ""))).toEqual([
      "Save the contact",
      "Search contacts",
      "No contacts yet",
      "Saved",
      "Not saved",
      "Contacts of",
    ]);
  });

  it("come from the catalogues in every translated area", () => {
    const files = areas.flatMap(sourceFiles).filter((f) => f.endsWith(".tsx"));
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap(englishLiterals)).toEqual([]);
  });
});
