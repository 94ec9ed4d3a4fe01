// SQL for messages: one INSERT per append, and reads that walk the seq primary key a page at a time.
import { loadJson, type Sql } from "../../shared/sql.ts";
import { iso, type JsonObject, type Message, type MessagePage, type MessageRole } from "../model.ts";

type MessageRow = {
  seq: number;
  id: string;
  role: MessageRole;
  content: string;
  metadata: string | null;
  author_id: string;
  created_at: number;
};

const COLUMNS = "seq, id, role, content, metadata, author_id, created_at";

export interface NewMessage {
  role: MessageRole;
  content: string;
  metadata: JsonObject;
  /** `metadata` as stored: serialised once by the caller, which also size-checks it. */
  metadataText: string | null;
  authorId: string;
  idempotencyKey?: string;
}

export type AppendOutcome =
  | { kind: "created"; message: Message }
  | { kind: "replayed"; message: Message }
  | { kind: "conflict"; existing: Message };

const toMessage = (row: MessageRow): Message => ({
  id: row.id,
  seq: row.seq,
  role: row.role,
  content: row.content,
  metadata: loadJson(row.metadata),
  authorId: row.author_id,
  createdAt: iso(row.created_at),
});

/** Key order does not make two metadata objects different. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const object = value as JsonObject;
  const keys = Object.keys(object).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`).join(",")}}`;
}

export class MessageStore {
  private readonly sql: Sql;

  constructor(sql: Sql) {
    this.sql = sql;
  }

  /**
   * The common case is a single INSERT … RETURNING. Idempotency keys are scoped to their author, so
   * two members of a session cannot collide or read each other's messages by guessing keys. Only
   * when a key is already taken do we read the earlier message to tell a retry from a conflict.
   */
  append(input: NewMessage, now: number): AppendOutcome {
    const id = crypto.randomUUID();
    const key = input.idempotencyKey ?? null;
    const inserted = this.sql.first<{ seq: number }>(
      `INSERT INTO messages (id, role, content, metadata, author_id, idempotency_key, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (author_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING seq`,
      id,
      input.role,
      input.content,
      input.metadataText,
      input.authorId,
      key,
      now,
    );
    if (inserted) {
      const { role, content, metadata, authorId } = input;
      return {
        kind: "created",
        message: { id, seq: inserted.seq, role, content, metadata, authorId, createdAt: iso(now) },
      };
    }
    const row = this.sql.first<MessageRow>(
      `SELECT ${COLUMNS} FROM messages WHERE author_id = ? AND idempotency_key = ? LIMIT 1`,
      input.authorId,
      key,
    );
    if (!row) throw new Error("Message insert was skipped but no earlier message holds its idempotency key.");
    const existing = toMessage(row);
    const same =
      row.role === input.role &&
      row.content === input.content &&
      (row.metadata === input.metadataText || canonical(existing.metadata) === canonical(input.metadata));
    return same ? { kind: "replayed", message: existing } : { kind: "conflict", existing };
  }

  /** Ascending from `after` (exclusive), or, given only `before`, the newest page below it. */
  page({ after, before, limit }: { after?: number; before?: number; limit: number }): MessagePage {
    const upper = before ?? Number.MAX_SAFE_INTEGER;
    const rows =
      after === undefined && before !== undefined
        ? this.sql
            .all<MessageRow>(
              `SELECT ${COLUMNS} FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?`,
              upper,
              limit + 1,
            )
            .reverse()
        : this.sql.all<MessageRow>(
            `SELECT ${COLUMNS} FROM messages WHERE seq > ? AND seq < ? ORDER BY seq LIMIT ?`,
            after ?? 0,
            upper,
            limit + 1,
          );
    const hasMore = rows.length > limit;
    if (hasMore) {
      if (after === undefined && before !== undefined) rows.shift();
      else rows.pop();
    }
    return { messages: rows.map(toMessage), hasMore };
  }

  /** The newest messages, oldest first. */
  recent(limit: number): MessagePage {
    return this.page({ before: Number.MAX_SAFE_INTEGER, limit });
  }

  last(): { seq: number; createdAt: number } | undefined {
    const row = this.sql.first<{ seq: number; created_at: number }>(
      "SELECT seq, created_at FROM messages ORDER BY seq DESC LIMIT 1",
    );
    return row && { seq: row.seq, createdAt: row.created_at };
  }
}
