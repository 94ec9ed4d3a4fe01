// Reconfigurations of the edge run one at a time and never under a request; requests and queries run side by side.
export class ReconfigurationLock {
  #queue: Promise<unknown> = Promise.resolve();
  #readers = 0;
  #drained: (() => void) | undefined;

  /** Waits for queued reconfigurations and for requests in flight, then runs `fn` alone. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      while (this.#readers > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
      return fn();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Runs `fn` once no reconfiguration is queued; a reconfiguration queued meanwhile waits for it. */
  async shared<T>(fn: () => Promise<T>): Promise<T> {
    let queued: Promise<unknown>;
    do {
      queued = this.#queue;
      await queued;
    } while (queued !== this.#queue);
    this.#readers += 1;
    try {
      return await fn();
    } finally {
      this.#readers -= 1;
      if (this.#readers === 0) this.#drained?.();
    }
  }
}
