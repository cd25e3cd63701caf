import { sql } from "kysely";
import { z } from "zod";
import { AppError } from "../errors";

/** Opaque keyset cursors: the sort key and id of the last item seen, so pages stay stable under writes. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, shape: T): z.output<T> | null {
  if (cursor === undefined || cursor === "") return null;
  try {
    const parsed = shape.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // reported below
  }
  throw new AppError("invalid_request", 400, "The cursor is not one this server handed out.");
}

/** Fetch one more than asked to learn whether there is a next page. */
export function pageOf<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  cursorOf: (row: Row) => (string | number)[],
): { items: Item[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return {
    items: kept.map(toItem),
    nextCursor: more && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

/** Escapes LIKE's wildcards so a search for "50%" finds "50%". */
export const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const NameCursor = z.tuple([z.string(), z.uuid()]);

/**
 * Keyset paging by a name, case-insensitively. The cursor's key is PostgreSQL's own lower() of the last row,
 * never JavaScript's toLowerCase: the two disagree on letters like "İ" and a final "Σ", and a key computed
 * on one side but compared on the other skips rows or repeats a page forever.
 */
export function byName(nameColumn: string, idColumn: string) {
  const key = sql<string>`lower(${sql.ref(nameColumn)})`;
  return {
    key,
    after: ([name, id]: [string, string]) =>
      sql<boolean>`(${key}, ${sql.ref(idColumn)}) > (${name}, ${id}::uuid)`,
  };
}
