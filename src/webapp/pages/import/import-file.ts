import { IMPORT_BODY_LIMIT, type ImportFormat } from "../../../shared/imports";

/** A file the rep picked, read as text, with the format its name or first line says. */
export interface ChosenFile {
  name: string;
  content: string;
  format: ImportFormat;
  /** Tells two picks of the same file apart, so a preview is never reused for another file's text. */
  key: string;
}

/** A file refused before it is sent: too large or empty. The page says so in the reader's language. */
export class FileRefused extends Error {
  constructor(
    readonly reason: "too_large" | "empty",
    readonly fileName: string,
    readonly size: number,
  ) {
    super(`${fileName}: ${reason}`);
  }
}

let picks = 0;

export async function readChosenFile(file: File): Promise<ChosenFile> {
  if (file.size > IMPORT_BODY_LIMIT) throw new FileRefused("too_large", file.name, file.size);
  const content = await file.text();
  if (!content.trim()) throw new FileRefused("empty", file.name, file.size);
  picks += 1;
  return { name: file.name, content, format: formatOf(file.name, content), key: `${picks}:${file.name}` };
}

function formatOf(name: string, content: string): ImportFormat {
  if (/\.(vcf|vcard)$/i.test(name)) return "vcard";
  if (/\.(csv|tsv|txt)$/i.test(name)) return "csv";
  return /^\uFEFF?\s*BEGIN:VCARD/i.test(content) ? "vcard" : "csv";
}
