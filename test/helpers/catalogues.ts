import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { LANGUAGES, type Messages } from "../../src/shared/languages";

export interface FoundCatalogue {
  file: string;
  name: string;
  messages: Messages<string>;
}

function messageFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return messageFiles(path);
    return /messages\.ts$/.test(name) ? [path] : [];
  });
}

function isMessages(value: unknown): value is Messages<string> {
  return (
    typeof value === "object" &&
    value !== null &&
    LANGUAGES.every((l) => typeof (value as Record<string, unknown>)[l] === "object")
  );
}

/** Every catalogue of the web app's (src/webapp, src/ui), found by its file's name, so a new one needs no list. */
export async function webAppCatalogues(): Promise<FoundCatalogue[]> {
  const root = join(__dirname, "../../src");
  const files = [join(root, "webapp"), join(root, "ui")].flatMap(messageFiles);
  const found: FoundCatalogue[] = [];
  for (const file of files) {
    const module = (await import(file)) as Record<string, unknown>;
    for (const [name, messages] of Object.entries(module))
      if (isMessages(messages)) found.push({ file, name, messages });
  }
  return found;
}
