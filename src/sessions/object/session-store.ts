// Session operations over the object's SQLite: validate the input, write, and name the change made.

import type { SessionLimits } from "../../config/session-limits.ts";
import { type Sql, storeJson } from "../../shared/sql.ts";
import type { AppendedMessage, JsonObject, MessagePage, SessionInfo, Task } from "../model.ts";
import { isoOrNull } from "../model.ts";
import type { ChangeEvent } from "./changes.ts";
import { checkSize, type InputSchemas, type Parsed, parse } from "./inputs.ts";
import { MessageStore } from "./message-store.ts";
import { MetaStore } from "./meta-store.ts";
import { applyMigrations } from "./migrations.ts";
import { type Failure, fail, ok, type Result, type Success, taskNotFound } from "./result.ts";
import { TaskStore } from "./task-store.ts";

/** A successful write and the event it produced; the object publishes events in one place. */
export type Mutation<T> = Success<T> & { event?: ChangeEvent };

export interface IndexSnapshot {
  sessionId: string;
  title: string | null;
  updatedAt: number;
  lastMessageAt: number | null;
  lastActivityAt: number;
  messageCount: number;
  openTaskCount: number;
  /** Grows with every change: last seq (messages) plus revision (everything else). */
  version: number;
}

export class SessionStore {
  readonly sql: Sql;
  readonly meta: MetaStore;
  readonly messages: MessageStore;
  readonly tasks: TaskStore;
  private readonly inputs: InputSchemas;
  private readonly limits: SessionLimits;

  constructor(sql: Sql, inputs: InputSchemas, limits: SessionLimits) {
    this.sql = sql;
    this.inputs = inputs;
    this.limits = limits;
    this.meta = new MetaStore(sql);
    this.messages = new MessageStore(sql);
    this.tasks = new TaskStore(sql);
  }

  /** Schema and metadata row in one transaction: a failure leaves the object as empty as it was. */
  initialise(input: Parsed<"initSession">): Result<SessionInfo> {
    const metadataText = this.checkMetadata(input.metadata);
    if (!metadataText.ok) return metadataText;
    this.sql.transaction(() => {
      applyMigrations(this.sql);
      this.meta.insert({ ...input, metadataText: metadataText.value }, input.createdAt ?? Date.now());
    });
    return ok(this.info());
  }

  /** Serialised as stored, or a 413 when it is over the limit. */
  checkMetadata(metadata: JsonObject | undefined): Result<string | null> {
    const text = storeJson(metadata);
    if (text === null) return ok(null);
    const size = checkSize(text, this.limits.metadataBytes, "metadata_too_large", "metadata");
    return size.ok ? ok(text) : size;
  }

  info(): SessionInfo {
    const last = this.messages.last();
    return {
      ...this.meta.get(),
      messageCount: last?.seq ?? 0,
      openTaskCount: this.tasks.openCount(),
      lastSeq: last?.seq ?? 0,
      lastMessageAt: isoOrNull(last?.createdAt ?? null),
    };
  }

  setMeta(raw: unknown): Mutation<SessionInfo> | Failure {
    const input = parse(this.inputs.setSessionMeta, raw);
    if (!input.ok) return input;
    const { title, metadata } = input.value;
    const metadataText = metadata === undefined ? ok(undefined) : this.checkMetadata(metadata);
    if (!metadataText.ok) return metadataText;
    this.meta.update({ title, metadataText: metadataText.value }, Date.now());
    const session = this.info();
    return { ...ok(session), event: { type: "session.updated", session } };
  }

  appendMessage(raw: unknown): Mutation<AppendedMessage> | Failure {
    const input = parse(this.inputs.appendMessage, raw);
    if (!input.ok) return input;
    const { content, metadata = {}, role = "user", authorId } = input.value;
    // Who may speak as whom (docs/security.md): people post `user`; only the owner, whose API keys
    // are how agents and tools post, may write the other roles. Over HTTP and sockets alike.
    if (role !== "user" && authorId !== this.meta.get().ownerId) {
      return fail("message_role_forbidden", `Only the session's owner may post messages with role ${role}.`, {
        role,
      });
    }
    const size = checkSize(content, this.limits.contentBytes, "content_too_large", "message content");
    if (!size.ok) return size;
    const metadataText = this.checkMetadata(metadata);
    if (!metadataText.ok) return metadataText;
    const outcome = this.messages.append({ ...input.value, metadata, metadataText: metadataText.value }, Date.now());
    if (outcome.kind === "conflict") {
      const { id, seq } = outcome.existing;
      return fail("idempotency_conflict", undefined, { messageId: id, seq });
    }
    const { message } = outcome;
    if (outcome.kind === "replayed") return ok({ created: false, message });
    return { ...ok({ created: true, message }), event: { type: "message.created", message } };
  }

  listMessages(raw: unknown): Result<MessagePage> {
    const query = parse(this.inputs.listMessages, raw);
    return query.ok ? ok(this.messages.page(query.value)) : query;
  }

  recentMessages(raw: unknown): Result<MessagePage> {
    const query = parse(this.inputs.recentMessages, raw);
    return query.ok ? ok(this.messages.recent(query.value.limit)) : query;
  }

  createTask(raw: unknown): Mutation<Task> | Failure {
    const input = parse(this.inputs.createTask, raw);
    if (!input.ok) return input;
    if (this.tasks.count() >= this.limits.maxTasks) {
      return fail("task_limit", `A session holds at most ${this.limits.maxTasks} tasks; delete some first.`, {
        limit: this.limits.maxTasks,
      });
    }
    const now = Date.now();
    const task = this.sql.transaction(() => {
      this.meta.touch(now);
      return this.tasks.create(input.value, now);
    });
    return { ...ok(task), event: { type: "task.created", task } };
  }

  updateTask(rawId: unknown, raw: unknown): Mutation<Task> | Failure {
    const id = parse(this.inputs.taskId, rawId);
    if (!id.ok) return id;
    const patch = parse(this.inputs.updateTask, raw);
    if (!patch.ok) return patch;
    const now = Date.now();
    const task = this.sql.transaction(() => {
      const updated = this.tasks.update(id.value, patch.value, now);
      if (updated) this.meta.touch(now);
      return updated;
    });
    if (!task) return taskNotFound(id.value);
    return { ...ok(task), event: { type: "task.updated", task } };
  }

  deleteTask(rawId: unknown): Mutation<{ id: string }> | Failure {
    const id = parse(this.inputs.taskId, rawId);
    if (!id.ok) return id;
    const now = Date.now();
    const deleted = this.sql.transaction(() => {
      const found = this.tasks.delete(id.value);
      if (found) this.meta.touch(now);
      return found;
    });
    if (!deleted) return taskNotFound(id.value);
    return { ...ok({ id: id.value }), event: { type: "task.deleted", taskId: id.value } };
  }

  listTasks(raw: unknown): Result<Task[]> {
    const query = parse(this.inputs.listTasks, raw);
    return query.ok ? ok(this.tasks.list(query.value.status)) : query;
  }

  indexSnapshot(): IndexSnapshot {
    const meta = this.meta.row();
    const last = this.messages.last();
    const lastSeq = last?.seq ?? 0;
    return {
      sessionId: meta.id,
      title: meta.title,
      updatedAt: meta.updated_at,
      lastMessageAt: last?.createdAt ?? null,
      lastActivityAt: Math.max(meta.updated_at, meta.activity_at ?? 0, last?.createdAt ?? 0),
      messageCount: lastSeq,
      openTaskCount: this.tasks.openCount(),
      version: lastSeq + meta.revision,
    };
  }
}
