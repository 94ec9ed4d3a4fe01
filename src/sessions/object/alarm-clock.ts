// The object's one alarm, shared by everything that needs waking later (the index flush, the socket
// access re-check): each asks for a time, the earliest wins, and nobody's request is pushed back.

export class AlarmClock {
  private readonly storage: DurableObjectStorage;
  /** The stored alarm's time as last set or read, so asking costs no storage read on the hot path. */
  private dueAt: number | null = null;

  constructor(storage: DurableObjectStorage) {
    this.storage = storage;
  }

  /** On wake: what is already stored. */
  async load(): Promise<void> {
    this.dueAt = await this.storage.getAlarm();
  }

  /** Whether an alarm is set (by anyone); a woken handler then runs every owner's work. */
  get armed(): boolean {
    return this.dueAt !== null;
  }

  /** Wakes the object at `at` or earlier: a later alarm is moved forward, an earlier one kept. */
  arm(at: number, onError: (error: unknown) => void): void {
    if (this.dueAt !== null && this.dueAt <= at) return;
    this.dueAt = at;
    // Not awaited: the output gate already holds the caller's reply until the alarm is stored.
    this.storage.setAlarm(at).catch((error: unknown) => {
      if (this.dueAt === at) this.dueAt = null;
      onError(error);
    });
  }

  /** Called as the alarm handler starts: the runtime has consumed the stored alarm. */
  fired(): void {
    this.dueAt = null;
  }

  /** After `deleteAlarm`. */
  cleared(): void {
    this.dueAt = null;
  }
}
