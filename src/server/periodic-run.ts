/**
 * A piece of background work every server process repeats (the mailbox sync, no-reply follow-ups, occasion mails,
 * webhook deliveries): runs start to start every interval, never two at once in one process, and stops after the
 * work in hand.
 */
export interface PeriodicRun<T> {
  /** One run now, after any run in progress has ended. */
  runOnce(): Promise<T>;
  /** Runs every interval (start to start) until stopped. */
  start(): void;
  /** No further run starts; resolves when the one in progress has ended. */
  stop(): Promise<void>;
  /** Whether stop() was called: a run checks it between its pieces of work and ends early. */
  readonly stopping: boolean;
}

export function periodicRun<T>(options: {
  intervalMs: number;
  run(): Promise<T>;
  /** What a finished run reports (the log line), and a failed one's error; the next run comes either way. */
  done(report: T): void;
  failed(error: unknown): void;
}): PeriodicRun<T> {
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<T> | null = null;

  const tick = () => {
    if (stopping) return;
    const started = Date.now();
    running = options.run();
    running.then(options.done, options.failed).finally(() => {
      running = null;
      if (!stopping) timer = setTimeout(tick, Math.max(0, options.intervalMs - (Date.now() - started)));
    });
  };

  return {
    runOnce: async () => {
      if (running) await running.catch(() => undefined);
      return options.run();
    },
    start() {
      stopping = false;
      if (!timer && !running) tick();
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
    get stopping() {
      return stopping;
    },
  };
}
