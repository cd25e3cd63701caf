import { createHash } from "node:crypto";

// Planning a request's statements costs more than running them: the lookup's statement plans in 3–5 ms and runs in
// 1–2 ms on the embedded store, and the organisation wall's policies add their quals to every plan. A named
// statement is planned once per connection and its plan kept (PostgreSQL replans it itself when a table it reads
// changes, or the role it was planned for is not the one running it).

/** Statements kept per connection at most; past it, a new text runs unnamed (planned each time, as before). */
const MAX_PREPARED_PER_CONNECTION = 500;

// A migration can change the rows a kept `select *` returns, which PostgreSQL refuses for a prepared statement
// ("cached plan must not change result type"). Each schema change starts new names, so no statement planned before
// it is ever run after it.
let schemaGeneration = 0;

/** Call after the schema may have changed (migrations ran): statements prepared before it are not used again. */
export function schemaChanged(): void {
  schemaGeneration++;
}

/**
 * What one pooled connection has prepared. Its names carry the connection's own number: the embedded store is one
 * session under every connection the pool ever opens onto it, and a connection that replaces a broken one must not
 * name a statement its predecessor left in that session.
 */
export interface PreparedStatements {
  connection: number;
  names: Set<string>;
}

let connections = 0;

export function preparedStatements(): PreparedStatements {
  return { connection: ++connections, names: new Set() };
}

export interface NamedQuery {
  name: string;
  text: string;
  values: unknown[];
}

/**
 * The statement as a named one when it can be kept: it has parameters (one without goes by the simple protocol,
 * which also carries several statements in one text, as migrations send) and the connection has room.
 */
export function asPrepared(
  kept: PreparedStatements,
  text: string,
  values: unknown[] | undefined,
): NamedQuery | null {
  if (!values || values.length === 0) return null;
  const name = `r${kept.connection}_${schemaGeneration}_${createHash("sha1").update(text).digest("base64url")}`;
  if (!kept.names.has(name)) {
    if (kept.names.size >= MAX_PREPARED_PER_CONNECTION) return null;
    kept.names.add(name);
  }
  return { name, text, values };
}
