// WebSocket tickets: single use, short-lived, bound to one user, credential and session; stored hashed.
import { sha256Hex, toBase64Url } from "../../shared/bytes.ts";
import type { Sql } from "../../shared/sql.ts";
import type { Role } from "../model.ts";
import type { SocketPrincipal } from "./attachment.ts";

export interface Ticket {
  ticket: string;
  expiresAt: number;
}

/** Who a ticket is issued to. The role is recorded for audit only: redemption asks D1 for the current one. */
export interface TicketHolder extends SocketPrincipal {
  role: Role;
}

export const TICKET_PREFIX = "swt_";
const TICKET_PATTERN = /^swt_[A-Za-z0-9_-]{43}$/;

/** Whether the text could be a ticket at all (anything else is refused before it goes near a header). */
export const isTicketShaped = (ticket: string): boolean => TICKET_PATTERN.test(ticket);

interface TicketRow extends Record<string, SqlStorageValue> {
  user_id: string;
  credential_id: string | null;
  credential_expires_at: number | null;
  expires_at: number;
}

export class TicketStore {
  private readonly sql: Sql;

  constructor(sql: Sql) {
    this.sql = sql;
  }

  async issue(holder: TicketHolder, ttlMs: number, now = Date.now()): Promise<Ticket> {
    const ticket = `${TICKET_PREFIX}${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
    // A ticket never outlives the credential that asked for it.
    const expiresAt = Math.min(now + ttlMs, holder.expiresAt ?? Number.POSITIVE_INFINITY);
    const hash = await sha256Hex(ticket);
    // Expired tickets are swept here, so the table never holds more than a minute's worth.
    this.sql.run("DELETE FROM ws_tickets WHERE expires_at <= ?", now);
    this.sql.run(
      `INSERT INTO ws_tickets (hash, user_id, role, expires_at, credential_id, credential_expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      hash,
      holder.userId,
      holder.role,
      expiresAt,
      holder.credentialId,
      holder.expiresAt,
    );
    return { ticket, expiresAt };
  }

  /** The ticket's principal, exactly once: a second use, an expired or an unknown ticket gives null. */
  async redeem(ticket: string, now = Date.now()): Promise<SocketPrincipal | null> {
    if (!isTicketShaped(ticket)) return null;
    const hash = await sha256Hex(ticket);
    const row = this.sql.first<TicketRow>(
      `DELETE FROM ws_tickets WHERE hash = ?
       RETURNING user_id, credential_id, credential_expires_at, expires_at`,
      hash,
    );
    if (!row || row.expires_at <= now) return null;
    return { userId: row.user_id, credentialId: row.credential_id, expiresAt: row.credential_expires_at };
  }
}
