import { execFile } from "node:child_process";
import path from "node:path";

// A PDF's text as a reader gets it: pdf.js (the legacy build, for Node) in a process of its own, since it is an
// ES module the tests' CommonJS cannot load. Each page's text runs are joined with spaces, pages with newlines.
const pdfjs = path.join(__dirname, "..", "..", "node_modules", "pdfjs-dist", "legacy", "build", "pdf.mjs");
const script = `
import { getDocument } from ${JSON.stringify(pdfjs)};
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const pdf = await getDocument({ data: new Uint8Array(Buffer.concat(chunks)), verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= pdf.numPages; n++) {
  const content = await (await pdf.getPage(n)).getTextContent();
  pages.push(content.items.map((item) => item.str ?? "").filter((s) => s.trim()).join(" "));
}
process.stdout.write(JSON.stringify(pages));
`;

/** The text of each page; spaces of every kind (a locale's group separator) read as plain ones. */
export function pdfText(bytes: Uint8Array): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ["--input-type=module", "-e", script],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`pdf.js could not read the PDF: ${stderr || error.message}`));
        else
          resolve((JSON.parse(stdout) as string[]).map((page) => page.replace(/[\u00a0\u202f\u2009]/g, " ")));
      },
    );
    child.stdin?.end(Buffer.from(bytes));
  });
}
