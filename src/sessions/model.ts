// The session feature's model, defined once: Message, Task, Session, Member and Role. The object's
// RPC types, the OpenAPI schemas (api/schemas.ts), the wire frames (protocol.ts) and the typed
// client all derive from these schemas; docs/model.md walks through adding a field.
import { z } from "zod";
import type { JsonObject } from "../shared/json.ts";

export type { JsonObject };

export const MESSAGE_ROLES = ["user", "assistant", "system", "tool"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/** A member's role in a session: the owner manages it, editors write, viewers read. */
export const ROLES = ["owner", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const TASK_STATUSES = ["pending", "in_progress", "completed", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** Statuses that count as "open" in the session's counters and the D1 index. */
export const OPEN_TASK_STATUSES = ["pending", "in_progress"] as const satisfies readonly TaskStatus[];

/** Every timestamp travels as an ISO 8601 UTC string, over RPC, REST and the socket alike. */
export const Timestamp = z.iso.datetime().meta({ example: "2026-01-01T12:00:00.000Z" });
/** Any JSON object: its size and depth are checked where it enters (the edge, the object's inputs). */
export const Metadata = z.record(z.string(), z.unknown()).meta({ example: { topic: "onboarding" } });

export const MessageModel = z.object({
  id: z.string(),
  seq: z.int().meta({ description: "Position in the session: 1, 2, 3, … gap-free, in commit order" }),
  role: z.enum(MESSAGE_ROLES),
  content: z.string(),
  metadata: Metadata,
  authorId: z.string(),
  createdAt: Timestamp,
});
export type Message = z.infer<typeof MessageModel>;

export const TaskModel = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  position: z.number(),
  createdBy: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  completedAt: Timestamp.nullable(),
});
export type Task = z.infer<typeof TaskModel>;

/** What a session is: the object's metadata row. Sockets see exactly this (no counters). */
export const SessionMetaModel = z.object({
  id: z.string(),
  ownerId: z.string(),
  title: z.string().nullable(),
  metadata: Metadata,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SessionMeta = z.infer<typeof SessionMetaModel>;

/** The session with its live counters, as the object reports it. */
export const SessionInfoModel = SessionMetaModel.extend({
  messageCount: z.int(),
  openTaskCount: z.int(),
  /** 0 while the session has no messages. */
  lastSeq: z.int(),
  lastMessageAt: Timestamp.nullable(),
});
export type SessionInfo = z.infer<typeof SessionInfoModel>;

/** A member of a session, from the D1 membership index. */
export const MemberModel = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  addedAt: Timestamp,
});
export type Member = z.infer<typeof MemberModel>;

/** Exactly the model's fields of `value`: what a surface sends, no more (a new model field flows through). */
export function project<S extends z.ZodRawShape, V extends { [K in keyof S]: unknown }>(
  model: z.ZodObject<S>,
  value: V,
): { [K in keyof S]: V[K] } {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(model.shape)) out[key] = value[key as keyof V];
  return out as { [K in keyof S]: V[K] };
}

// What callers send over RPC.

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
