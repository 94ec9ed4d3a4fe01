// LoginLimiterDO: one small SQLite Durable Object per limit key (an email, a client network, a
// signup source), counting attempts in a sliding window.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";

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
const refused = (oldest: number, windowMs: number, now: number): AttemptResult => ({
  allowed: false,
  retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)),
});

/**
 * State lives in the object's SQLite storage so an attacker cannot reset a count by waiting for the
 * object to be evicted; an alarm empties what has expired, so idle keys keep nothing.
 */
export class LoginLimiterDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS counted (at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS login_attempts (network TEXT NOT NULL, at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS login_attempts_by_network ON login_attempts (network, at);
      CREATE TABLE IF NOT EXISTS known_networks (network TEXT PRIMARY KEY, until INTEGER NOT NULL);
    `);
  }

  /** A plain counter: at most `limit` attempts per window for this key (per-IP login, signup). */
  async attempt(limit: number, windowMs: number): Promise<AttemptResult> {
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    sql.exec("DELETE FROM counted WHERE expires_at <= ?", now);
    const { count, oldest } = sql
      .exec<{ count: number; oldest: number | null }>("SELECT count(*) AS count, min(at) AS oldest FROM counted")
      .one();
    if (count >= limit) return refused(oldest ?? now, windowMs, now);
    sql.exec("INSERT INTO counted (at, expires_at) VALUES (?, ?)", now, now + windowMs);
    await this.#wakeBy(now + windowMs);
    return allowed;
  }

  /**
   * A login attempt on this object's email from `network`. Each network has its own budget, so an
   * attacker spends their own, never the account holder's; the email's ceiling (against attackers
   * with many networks) does not apply to networks that have signed in to this account before.
   */
  async attemptLogin(network: string, limits: LoginAttemptLimits): Promise<AttemptResult> {
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    sql.exec("DELETE FROM login_attempts WHERE expires_at <= ?", now);
    const pair = sql
      .exec<{ count: number; oldest: number | null }>(
        "SELECT count(*) AS count, min(at) AS oldest FROM login_attempts WHERE network = ?",
        network,
      )
      .one();
    if (pair.count >= limits.perEmailAndIp) return refused(pair.oldest ?? now, limits.windowMs, now);
    const known = sql.exec("SELECT 1 FROM known_networks WHERE network = ? AND until > ?", network, now).toArray();
    if (known.length === 0) {
      const all = sql
        .exec<{ count: number; oldest: number | null }>(
          "SELECT count(*) AS count, min(at) AS oldest FROM login_attempts",
        )
        .one();
      if (all.count >= limits.perEmail) return refused(all.oldest ?? now, limits.windowMs, now);
    }
    sql.exec(
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
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    sql.exec("DELETE FROM login_attempts WHERE network = ?", network);
    sql.exec(
      "INSERT INTO known_networks (network, until) VALUES (?1, ?2) ON CONFLICT (network) DO UPDATE SET until = ?2",
      network,
      now + KNOWN_NETWORK_TTL_MS,
    );
    sql.exec(
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
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    sql.exec("DELETE FROM counted WHERE expires_at <= ?", now);
    sql.exec("DELETE FROM login_attempts WHERE expires_at <= ?", now);
    sql.exec("DELETE FROM known_networks WHERE until <= ?", now);
    // Objects made before per-network limits counted in an `attempts` table: their next alarm drops it.
    sql.exec("DROP TABLE IF EXISTS attempts");
    const next = sql
      .exec<{ at: number | null }>(
        `SELECT min(at) AS at FROM (SELECT min(expires_at) AS at FROM counted
           UNION ALL SELECT min(expires_at) FROM login_attempts UNION ALL SELECT min(until) FROM known_networks)`,
      )
      .one().at;
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }
}
