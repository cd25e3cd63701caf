/**
 * The in-process half of a change notification's trigger: the notification endpoint marks the mailbox in the
 * store (mailboxes.wake_at, which every server's worker polls) and then tells this process's own worker, so the
 * server that received the notification starts the run at once instead of at its next poll.
 */
export class Wakeups {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Returns the way to stop listening. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
