// LoginLimiterDO: one small SQLite Durable Object per limit key (an email, a client network, a
// signup source), counting attempts in a sliding window.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../config/env.ts";
import { Sql } from "../shared/sql.ts";

export interface AttemptResult {
  allowed: boolean;
  /** Seconds until enough counted attempts leave the window; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface LoginAttemptLimits {
  /** Attempts on this email from one client network. */
  perEmailAndIp: number;
  /** Attempts on this email from client networks that have never signed in to it. */
  perEmail: number;
  windowMs: number;
}

/** A network that signed in to an account stays trusted for it this long after its last success. */
export const KNOWN_NETWORK_TTL_MS = 30 * 86_400_000;
/** Trusted networks remembered per account (the most recent successes win). */
export const KNOWN_NETWORKS_MAX = 20;

const allowed: AttemptResult = { allowed: true, retryAfterSeconds: 0 };
/** How many attempts a window holds, and when the oldest was made. */
type Counted = { count: number; oldest: number | null };
const NONE: Counted = { count: 0, oldest: null };

const refused = (oldest: number, windowMs: number, now: number): AttemptResult => ({
  allowed: false,
  retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)),
});

/**
 * State lives in the object's SQLite storage so an attacker cannot reset a count by waiting for the
 * object to be evicted; an alarm empties what has expired, so idle keys keep nothing.
 */
export class LoginLimiterDO extends DurableObject<Env> {
  /** The same typed, bound-parameters-only helper the session object uses. */
  private readonly sql: Sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = new Sql(ctx.storage);
    this.sql.run(`
      CREATE TABLE IF NOT EXISTS counted (at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS login_attempts (network TEXT NOT NULL, at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS login_attempts_by_network ON login_attempts (network, at);
      CREATE TABLE IF NOT EXISTS known_networks (network TEXT PRIMARY KEY, until INTEGER NOT NULL);
    `);
  }

  /** A plain counter: at most `limit` attempts per window for this key (per-IP login, signup). */
  async attempt(limit: number, windowMs: number): Promise<AttemptResult> {
    const sql = this.sql;
    const now = Date.now();
    sql.run("DELETE FROM counted WHERE expires_at <= ?", now);
    const { count, oldest } = sql.first<Counted>("SELECT count(*) AS count, min(at) AS oldest FROM counted") ?? NONE;
    if (count >= limit) return refused(oldest ?? now, windowMs, now);
    sql.run("INSERT INTO counted (at, expires_at) VALUES (?, ?)", now, now + windowMs);
    await this.#wakeBy(now + windowMs);
    return allowed;
  }

  /**
   * A login attempt on this object's email from `network`. Each network has its own budget, so an
   * attacker spends their own, never the account holder's; the email's ceiling (against attackers
   * with many networks) does not apply to networks that have signed in to this account before.
   */
  async attemptLogin(network: string, limits: LoginAttemptLimits): Promise<AttemptResult> {
    const sql = this.sql;
    const now = Date.now();
    sql.run("DELETE FROM login_attempts WHERE expires_at <= ?", now);
    const pair =
      sql.first<Counted>(
        "SELECT count(*) AS count, min(at) AS oldest FROM login_attempts WHERE network = ?",
        network,
      ) ?? NONE;
    if (pair.count >= limits.perEmailAndIp) return refused(pair.oldest ?? now, limits.windowMs, now);
    const known = sql.first(
      "SELECT 1 AS one FROM known_networks WHERE network = ? AND until > ? LIMIT 1",
      network,
      now,
    );
    if (!known) {
      const all = sql.first<Counted>("SELECT count(*) AS count, min(at) AS oldest FROM login_attempts") ?? NONE;
      if (all.count >= limits.perEmail) return refused(all.oldest ?? now, limits.windowMs, now);
    }
    sql.run(
      "INSERT INTO login_attempts (network, at, expires_at) VALUES (?, ?, ?)",
      network,
      now,
      now + limits.windowMs,
    );
    await this.#wakeBy(now + limits.windowMs);
    return allowed;
  }

  /** Forgives this network's attempts only (never other networks') and trusts it for the account. */
  async loginSucceeded(network: string): Promise<void> {
    const sql = this.sql;
    const now = Date.now();
    sql.run("DELETE FROM login_attempts WHERE network = ?", network);
    sql.run(
      "INSERT INTO known_networks (network, until) VALUES (?, ?) ON CONFLICT (network) DO UPDATE SET until = excluded.until",
      network,
      now + KNOWN_NETWORK_TTL_MS,
    );
    sql.run(
      "DELETE FROM known_networks WHERE network NOT IN (SELECT network FROM known_networks ORDER BY until DESC LIMIT ?)",
      KNOWN_NETWORKS_MAX,
    );
    await this.#wakeBy(now + KNOWN_NETWORK_TTL_MS);
  }

  /** Only ever brings the alarm forward: the handler reschedules itself for whatever is left. */
  async #wakeBy(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  override async alarm(): Promise<void> {
    const sql = this.sql;
    const now = Date.now();
    sql.run("DELETE FROM counted WHERE expires_at <= ?", now);
    sql.run("DELETE FROM login_attempts WHERE expires_at <= ?", now);
    sql.run("DELETE FROM known_networks WHERE until <= ?", now);
    // Objects made before per-network limits counted in an `attempts` table: their next alarm drops it.
    sql.run("DROP TABLE IF EXISTS attempts");
    const next = sql.first<{ at: number | null }>(
      `SELECT min(at) AS at FROM (SELECT min(expires_at) AS at FROM counted
         UNION ALL SELECT min(expires_at) FROM login_attempts UNION ALL SELECT min(until) FROM known_networks)`,
    )?.at;
    if (next !== null && next !== undefined) await this.ctx.storage.setAlarm(next);
  }
}
