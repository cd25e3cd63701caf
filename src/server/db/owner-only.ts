import { chmodSync, mkdirSync } from "node:fs";

/**
 * Makes `dir` (and any missing parent) a directory only its owner can enter. PGlite writes the store's files
 * readable and writable by every local user (0666, whatever the umask), so the directory that holds them is what
 * keeps another user of the machine from reading or changing every record; PostgreSQL itself refuses to start
 * on a data directory others can enter. An existing directory is narrowed too: a store made before this (0755)
 * would otherwise stay open.
 */
export function ownerOnlyDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}
