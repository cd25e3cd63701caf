import { type ComponentType, type ReactNode, Suspense, lazy, useState } from "react";

/** A component whose code is a chunk of its own, and the way to fetch that chunk before it is first shown. */
export interface Deferred<P extends object> {
  Component: ComponentType<P>;
  /** Fetches and runs the chunk; a failed fetch (offline) is tried again by the next call. */
  preload(): Promise<unknown>;
}

/**
 * Keeps a part out of what Outlook loads first. Once its chunk is in it renders at once (React.lazy would still
 * suspend for a tick the first time, showing the fallback over a chunk that is already there); before that the
 * fallback shows what the part shows without its controls, so the profile never waits for it.
 */
export function deferred<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: (props: P) => ReactNode,
): Deferred<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const preload = () =>
    (pending ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        pending = null;
        throw error;
      },
    ));
  // Props travel wrapped: TypeScript cannot resolve a lazy component's ref props for a generic P.
  const Lazy = lazy(() => preload().then(() => ({ default: Loaded })));
  function Loaded({ props }: { props: P }) {
    const Part = loaded;
    return Part ? <Part {...props} /> : null;
  }
  function DeferredPart(props: P) {
    // Chosen once per mount: switching from the lazy path to the direct one would remount the part, losing its state.
    const [ready] = useState(() => loaded !== null);
    if (ready) return <Loaded props={props} />;
    return (
      <Suspense fallback={fallback(props)}>
        <Lazy props={props} />
      </Suspense>
    );
  }
  return { Component: DeferredPart, preload };
}

/**
 * Fetches chunks once the page has nothing else to do (waiting for the first lookup counts), so a part is there
 * before it is first shown. Returns the cancel, for an effect's clean-up.
 */
export function preloadWhenIdle(...loads: (() => Promise<unknown>)[]): () => void {
  const run = () => {
    for (const load of loads) void load().catch(() => undefined);
  };
  if (typeof globalThis.requestIdleCallback === "function") {
    const id = globalThis.requestIdleCallback(run, { timeout: 2000 });
    return () => globalThis.cancelIdleCallback(id);
  }
  // Safari and jsdom have no idle callback: right after this turn of the event loop instead.
  const id = setTimeout(run, 0);
  return () => clearTimeout(id);
}
