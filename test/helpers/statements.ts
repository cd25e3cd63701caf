import pg from "pg";

/**
 * The statements sent to the store while `work` runs, on every connection of every pool in this process (each a
 * round trip: a simple-protocol message carrying several counts once): the organisation wall's, begin and commit
 * included. Whatever else runs meanwhile is counted too, so measure one request at a time.
 */
export async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const [config] = args;
    sent.push(
      typeof config === "string"
        ? config
        : typeof config === "object" && config !== null && "text" in config
          ? String(config.text)
          : "(a query object)",
    );
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    prototype.query = original;
  }
  return sent;
}

/** Whether a statement is the organisation wall's own (entering or leaving it on its own). */
export const isWallStatement = (text: string): boolean =>
  /^select set_config\('role'/.test(text) || /^reset role/.test(text);
