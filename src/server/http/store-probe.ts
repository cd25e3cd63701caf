/**
 * The store check behind /healthz and /readyz, shared: probes are never rate limited (an unready answer must
 * mean unready), so a flood of them must not become a flood of queries. The embedded store is one connection,
 * where every probe's `select 1` would queue behind and in front of real requests. One check runs at a time,
 * and its answer, good or bad, serves every probe for `freshMs` after it settles.
 */
export function createStoreProbe(
  check: () => Promise<unknown>,
  options: { freshMs?: number; now?: () => number } = {},
): () => Promise<void> {
  const freshMs = options.freshMs ?? 1_000;
  const now = options.now ?? Date.now;
  let current: Promise<void> | null = null;
  let settledAt = Number.NEGATIVE_INFINITY;
  let settled = false;

  return () => {
    if (current && (!settled || now() - settledAt < freshMs)) return current;
    settled = false;
    const run = check().then(() => undefined);
    current = run;
    run.then(
      () => markSettled(run),
      () => markSettled(run),
    );
    return run;
  };

  function markSettled(run: Promise<void>): void {
    if (current !== run) return;
    settled = true;
    settledAt = now();
  }
}
