// The shapes SessionDO hands to its callers over RPC: plain data, timestamps as ISO strings.
export const MESSAGE_ROLES = ["user", "assistant", "system", "tool"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/** A member's role in a session: the owner manages it, editors write, viewers read. */
export const ROLES = ["owner", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const TASK_STATUSES = ["pending", "in_progress", "completed", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** Statuses that count as "open" in the session's counters and the D1 index. */
export const OPEN_TASK_STATUSES = ["pending", "in_progress"] as const satisfies readonly TaskStatus[];

import type { JsonObject } from "../shared/json.ts";

export type { JsonObject };

export interface InitSessionInput {
  id: string;
  ownerId: string;
  title?: string;
  metadata?: JsonObject;
  /** Epoch ms; the Worker passes the time it wrote the D1 index row, so both agree. */
  createdAt?: number;
}

/** `title: null` clears the title; `metadata` replaces the whole object. */
export interface SessionMetaPatch {
  title?: string | null;
  metadata?: JsonObject;
}

export interface AppendMessageInput {
  /** Defaults to "user". */
  role?: MessageRole;
  content: string;
  metadata?: JsonObject;
  authorId: string;
  /** Scoped to the author: a retry with the same key returns the original message. */
  idempotencyKey?: string;
}

/** Seqs are exclusive bounds; `limit` defaults to 50 and may not exceed the page size limit. */
export interface MessageQuery {
  after?: number;
  before?: number;
  limit?: number;
}

export interface CreateTaskInput {
  title: string;
  /** Defaults to "pending". */
  status?: TaskStatus;
  /** Defaults to the end of the list. */
  position?: number;
  createdBy: string;
}

export interface TaskPatch {
  title?: string;
  status?: TaskStatus;
  position?: number;
}

export interface Message {
  id: string;
  /** Per-session position: 1, 2, 3, … with no gaps, in commit order. */
  seq: number;
  role: MessageRole;
  content: string;
  metadata: JsonObject;
  authorId: string;
  createdAt: string;
}

export interface AppendedMessage {
  /** False when an idempotency key replayed an earlier append (HTTP 200 rather than 201). */
  created: boolean;
  message: Message;
}

export interface MessagePage {
  messages: Message[];
  /** More messages exist beyond this page, in the direction asked for (older for `before` alone). */
  hasMore: boolean;
}

export interface Task {
  id: string;
  title: string;
  status: TaskStatus;
  position: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export interface SessionMeta {
  id: string;
  ownerId: string;
  title: string | null;
  metadata: JsonObject;
  createdAt: string;
  updatedAt: string;
}

export interface SessionInfo extends SessionMeta {
  messageCount: number;
  openTaskCount: number;
  /** 0 while the session has no messages. */
  lastSeq: number;
  lastMessageAt: string | null;
}

export interface InitializedSession {
  /** False when the session already existed with the same id and owner. */
  created: boolean;
  session: SessionInfo;
}

export interface IndexStats {
  /** The object's change counter now; the D1 row carries the value of the last successful flush. */
  version: number;
  flushedVersion: number;
  /** UPDATE statements this object sent to D1 that succeeded, since it was created. */
  d1Writes: number;
  d1Failures: number;
  lastFlushAt: string | null;
  flushPending: boolean;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
