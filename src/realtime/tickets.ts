// WebSocket tickets: single use, short-lived, bound to one user and this session; stored hashed.
import { sha256Hex, toBase64Url } from "../auth/bytes.ts";
import type { Sql } from "../session/sql.ts";
import type { Role } from "./protocol.ts";

export interface Ticket {
  ticket: string;
  expiresAt: number;
}

export interface TicketHolder {
  userId: string;
  role: Role;
}

export const TICKET_PREFIX = "swt_";
const TICKET_PATTERN = /^swt_[A-Za-z0-9_-]{43}$/;

/** Whether the text could be a ticket at all (anything else is refused before it goes near a header). */
export const isTicketShaped = (ticket: string): boolean => TICKET_PATTERN.test(ticket);

export class TicketStore {
  private readonly sql: Sql;

  constructor(sql: Sql) {
    this.sql = sql;
  }

  async issue(holder: TicketHolder, ttlMs: number, now = Date.now()): Promise<Ticket> {
    const ticket = `${TICKET_PREFIX}${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
    const expiresAt = now + ttlMs;
    const hash = await sha256Hex(ticket);
    // Expired tickets are swept here, so the table never holds more than a minute's worth.
    this.sql.run("DELETE FROM ws_tickets WHERE expires_at <= ?", now);
    this.sql.run(
      "INSERT INTO ws_tickets (hash, user_id, role, expires_at) VALUES (?, ?, ?, ?)",
      hash,
      holder.userId,
      holder.role,
      expiresAt,
    );
    return { ticket, expiresAt };
  }

  /** The ticket's holder, exactly once: a second use, an expired or an unknown ticket gives null. */
  async redeem(ticket: string, now = Date.now()): Promise<TicketHolder | null> {
    if (!isTicketShaped(ticket)) return null;
    const hash = await sha256Hex(ticket);
    const row = this.sql.first<{ user_id: string; role: Role; expires_at: number }>(
      "DELETE FROM ws_tickets WHERE hash = ? RETURNING user_id, role, expires_at",
      hash,
    );
    if (!row || row.expires_at <= now) return null;
    return { userId: row.user_id, role: row.role };
  }
}
