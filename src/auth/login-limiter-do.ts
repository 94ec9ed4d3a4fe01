// LoginLimiterDO: one small SQLite Durable Object per login-limit key, counting attempts in a sliding window.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";

export interface AttemptResult {
  allowed: boolean;
  /** Seconds until the oldest counted attempt leaves the window; 0 when allowed. */
  retryAfterSeconds: number;
}

/**
 * Counts attempts for one key. State lives in the object's SQLite storage so an attacker cannot
 * reset the count by waiting for the object to be evicted; an alarm empties it once the window has
 * passed, so idle keys keep nothing.
 */
export class LoginLimiterDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS attempts (at INTEGER NOT NULL)");
  }

  attempt(limit: number, windowMs: number): AttemptResult {
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    sql.exec("DELETE FROM attempts WHERE at <= ?", now - windowMs);
    const { count, oldest } = sql
      .exec<{ count: number; oldest: number | null }>("SELECT count(*) AS count, min(at) AS oldest FROM attempts")
      .one();
    if (count >= limit) {
      const waitMs = (oldest ?? now) + windowMs - now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    sql.exec("INSERT INTO attempts (at) VALUES (?)", now);
    void this.ctx.storage.setAlarm(now + windowMs);
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** A successful login forgives the email's failed attempts (never the IP's). */
  reset(): void {
    this.ctx.storage.sql.exec("DELETE FROM attempts");
  }

  override alarm(): void {
    this.ctx.storage.sql.exec("DELETE FROM attempts");
  }
}
