// Keeps this session's row in the D1 index current: one coalesced UPDATE per flush interval, from the alarm.
import { log } from "../../shared/log.ts";
import { type IndexStats, isoOrNull } from "../model.ts";
import type { AlarmClock } from "./alarm-clock.ts";
import type { SessionStore } from "./session-store.ts";

const MAX_RETRY_DELAY_MS = 5 * 60_000;

// Only ever an UPDATE: the Worker inserts the row when it creates the session, and a row it has
// since deleted must stay deleted. The version guard makes a stale or repeated flush a no-op.
const FLUSH_SQL = `UPDATE sessions SET title = ?1, updated_at = ?2, last_message_at = ?3, last_activity_at = ?4,
  message_count = ?5, open_task_count = ?6, index_version = ?7 WHERE id = ?8 AND index_version < ?9`;

/**
 * D1 is the one writer every session shares, so its write rate must follow active sessions, not
 * messages. Changes only mark the index dirty; the first mark arms the alarm (tracked in memory,
 * so the hot path never reads storage), and the alarm writes whatever accumulated meanwhile.
 */
export class IndexSync {
  private pending = false;
  private closed = false;
  private failures = 0;
  private inFlight: Promise<void> | null = null;

  private readonly clock: AlarmClock;
  private readonly db: D1Database;
  private readonly store: SessionStore;
  private readonly intervalMs: number;

  constructor(clock: AlarmClock, db: D1Database, store: SessionStore, intervalMs: number) {
    this.clock = clock;
    this.db = db;
    this.store = store;
    this.intervalMs = intervalMs;
  }

  /**
   * On wake (the clock loaded): re-arm if changes were left unflushed. The alarm is shared, so a
   * stored one may be another owner's and later than the flush interval; arming only ever moves it earlier.
   */
  resume(): void {
    if (this.store.indexSnapshot().version > this.store.meta.flushState().flushed_version) this.markDirty();
  }

  markDirty(): void {
    if (!this.pending && !this.closed) this.schedule(this.intervalMs);
  }

  /** After destroy: nothing may write to this object's storage again. */
  close(): void {
    this.closed = true;
  }

  /** Flushes now; concurrent callers (alarm and RPC) queue rather than race to D1. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    if (this.closed) return;
    this.inFlight = this.flushOnce().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  stats(): IndexStats {
    const state = this.store.meta.flushState();
    return {
      version: this.store.indexSnapshot().version,
      flushedVersion: state.flushed_version,
      d1Writes: state.d1_writes,
      d1Failures: state.d1_failures,
      lastFlushAt: isoOrNull(state.last_flush_at),
      flushPending: this.pending,
    };
  }

  private async flushOnce(): Promise<void> {
    // Changes from here on need another flush; a running alarm handler may re-arm its own alarm.
    this.pending = false;
    const snapshot = this.store.indexSnapshot();
    if (snapshot.version <= this.store.meta.flushState().flushed_version) return;
    try {
      await this.db
        .prepare(FLUSH_SQL)
        .bind(
          snapshot.title,
          snapshot.updatedAt,
          snapshot.lastMessageAt,
          snapshot.lastActivityAt,
          snapshot.messageCount,
          snapshot.openTaskCount,
          snapshot.version,
          snapshot.sessionId,
          snapshot.version,
        )
        .run();
    } catch (error) {
      if (this.closed) return;
      this.failures += 1;
      this.store.meta.recordFlushFailure();
      const delay = Math.min(this.intervalMs * 2 ** this.failures, MAX_RETRY_DELAY_MS);
      log("warn", "session_index_flush_failed", {
        sessionId: snapshot.sessionId,
        retryInMs: delay,
        error: error instanceof Error ? error.message : String(error),
      });
      this.schedule(delay);
      return;
    }
    if (this.closed) return;
    this.failures = 0;
    this.store.meta.recordFlush(snapshot.version, Date.now());
  }

  private schedule(delayMs: number): void {
    this.pending = true;
    this.clock.arm(Date.now() + delayMs, (error: unknown) => {
      this.pending = false;
      log("error", "session_index_alarm_failed", { error: error instanceof Error ? error.message : String(error) });
    });
  }
}
