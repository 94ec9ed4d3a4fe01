// SessionDO: one SQLite-backed Durable Object per session. A thin typed-RPC surface over the session store.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../../config/env.ts";
import { getRealtimeLimits } from "../../config/realtime-limits.ts";
import { getSessionLimits, type SessionLimits } from "../../config/session-limits.ts";
import { errorResponse } from "../../errors/body.ts";
import { log } from "../../shared/log.ts";
import { Sql } from "../../shared/sql.ts";
import type {
  AppendedMessage,
  AppendMessageInput,
  CreateTaskInput,
  IndexStats,
  InitializedSession,
  InitSessionInput,
  MessagePage,
  MessageQuery,
  Role,
  SessionInfo,
  SessionMetaPatch,
  Task,
  TaskPatch,
  TaskStatus,
} from "../model.ts";
import { PING_FRAME, PONG_FRAME } from "../protocol.ts";
import { AccessGuard } from "./access-guard.ts";
import { admission } from "./access-store.ts";
import { AlarmClock } from "./alarm-clock.ts";
import { ChangeFeed } from "./changes.ts";
import { exportStream } from "./export-stream.ts";
import { IndexSync } from "./index-sync.ts";
import { type InputSchemas, inputSchemas, parse } from "./inputs.ts";
import { applyMigrations, hasLedger, SchemaTooNewError } from "./migrations.ts";
import { type Failure, fail, ok, type Result, schemaTooNew, sessionNotFound, validationFailed } from "./result.ts";
import { type Mutation, SessionStore } from "./session-store.ts";
import { SocketHub } from "./socket-hub.ts";
import { type Ticket, type TicketHolder, TicketStore } from "./tickets.ts";
import { readUpgrade } from "./upgrade.ts";

/** The state of an initialised session; null while the object is empty (never created, or destroyed). */
interface Live {
  store: SessionStore;
  index: IndexSync;
}

/**
 * Every method except `initSession` answers `session_not_found` on an empty object without
 * creating a table or a row, so a stale id reaching a destroyed or unknown session leaves no litter.
 * Replies leave only once their writes are durable: the output gate holds them until then.
 */
export class SessionDO extends DurableObject<Env> {
  private readonly limits: SessionLimits;
  private readonly inputs: InputSchemas;
  /** Every committed change, in order: the index flush listens here, and so can a broadcaster. */
  protected readonly changes = new ChangeFeed();
  private live: Live | null = null;
  /** Set when a newer release left a schema this code cannot serve: every call answers it, nothing is written. */
  private refusal: Failure | null = null;
  private readonly sockets: SocketHub;
  private readonly access: AccessGuard;
  /** The one alarm, shared by the index flush and the sockets' access re-check. */
  private readonly clock: AlarmClock;
  private readonly ticketTtlMs: number;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.limits = getSessionLimits(env);
    this.inputs = inputSchemas(this.limits);
    const realtime = getRealtimeLimits(env);
    this.ticketTtlMs = realtime.ticketTtlMs;
    this.sockets = new SocketHub(ctx, realtime, this, this.limits.pageSize);
    this.clock = new AlarmClock(ctx.storage);
    this.access = new AccessGuard(ctx, env.DB, this.clock, realtime.accessRecheckMs);
    // Heartbeats are answered by the runtime itself: an idle socket never wakes the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING_FRAME, PONG_FRAME));
    this.changes.subscribe((event) => {
      if (event.type !== "session.destroyed") this.live?.index.markDirty();
      this.sockets.broadcast(event);
    });
    ctx.blockConcurrencyWhile(async () => {
      await this.clock.load();
      const store = this.newStore();
      if (!hasLedger(store.sql)) return;
      // An object written by older code catches up before it serves anything, all steps or none.
      // One written by newer code is served as it is when older code can read it, refused if not.
      try {
        store.sql.transaction(() => applyMigrations(store.sql));
      } catch (error) {
        if (!(error instanceof SchemaTooNewError)) throw error;
        this.refusal = schemaTooNew(error.version, error.minReader, error.known);
        log("warn", "session_schema_too_new", { message: error.message });
        return;
      }
      const live = this.liveFor(store);
      live.index.resume();
      this.live = live;
    });
  }

  /**
   * Creates the session's schema and metadata; repeating it with the same id and owner is a no-op.
   * On an empty object it always creates, destroyed or not: the Worker never reuses a session id,
   * and D1 is the record of which sessions exist.
   */
  initSession(raw: InitSessionInput): Result<InitializedSession> {
    if (this.refusal) return this.refusal;
    const input = parse(this.inputs.initSession, raw);
    if (!input.ok) return input;
    const { id, ownerId } = input.value;
    const name = this.ctx.id.name;
    if (name !== undefined && id !== name) {
      return validationFailed([{ path: "id", message: "Does not match this object's name.", code: "custom" }]);
    }
    if (this.live) {
      const session = this.live.store.info();
      if (session.id === id && session.ownerId === ownerId) return ok({ created: false, session });
      return fail("session_conflict");
    }
    const store = this.newStore();
    const created = store.initialise(input.value);
    if (!created.ok) return created;
    this.live = this.liveFor(store);
    return ok({ created: true, session: created.value });
  }

  getSessionMeta(): Result<SessionInfo> {
    return this.read((store) => ok(store.info()));
  }

  setSessionMeta(patch: SessionMetaPatch): Result<SessionInfo> {
    return this.mutate((store) => store.setMeta(patch));
  }

  appendMessage(input: AppendMessageInput): Result<AppendedMessage> {
    return this.mutate((store) => store.appendMessage(input));
  }

  getRecentMessages(query: { limit?: number } = {}): Result<MessagePage> {
    return this.read((store) => store.recentMessages(query));
  }

  listMessages(query: MessageQuery = {}): Result<MessagePage> {
    return this.read((store) => store.listMessages(query));
  }

  createTask(input: CreateTaskInput): Result<Task> {
    return this.mutate((store) => store.createTask(input));
  }

  updateTask(taskId: string, patch: TaskPatch): Result<Task> {
    return this.mutate((store) => store.updateTask(taskId, patch));
  }

  deleteTask(taskId: string): Result<{ id: string }> {
    return this.mutate((store) => store.deleteTask(taskId));
  }

  listTasks(query: { status?: TaskStatus } = {}): Result<Task[]> {
    return this.read((store) => store.listTasks(query));
  }

  /** NDJSON: the session line, its tasks, then its messages in seq order (see export-stream.ts). */
  exportSession(): Result<ReadableStream<Uint8Array>> {
    if (this.refusal) return this.refusal;
    const live = this.live;
    if (!live) return sessionNotFound();
    return ok(exportStream(live.store, this.limits.pageSize, () => this.live === live));
  }

  /** Deletes every row and the alarm. The object is empty afterwards, as if never created. */
  async destroySession(): Promise<Result<{ id: string }>> {
    if (this.refusal) return this.refusal;
    const live = this.live;
    if (!live) return sessionNotFound();
    const { id } = live.store.meta.get();
    live.index.close();
    this.live = null;
    // Nothing else runs until storage is gone, so an initSession cannot land in between. The alarm
    // is deleted explicitly: whether deleteAll takes it too depends on the runtime's compatibility date.
    await this.ctx.blockConcurrencyWhile(async () => {
      await this.ctx.storage.deleteAlarm();
      this.clock.cleared();
      await this.ctx.storage.deleteAll();
    });
    this.changes.publish({ type: "session.destroyed", sessionId: id });
    return ok({ id });
  }

  /** How far the D1 index lags and how many D1 writes this session has cost. */
  getIndexStats(): Result<IndexStats> {
    if (this.refusal) return this.refusal;
    return this.live ? ok(this.live.index.stats()) : sessionNotFound();
  }

  /** Flushes the D1 index row now instead of waiting for the alarm (tests, admin tools). */
  async flushIndexNow(): Promise<Result<IndexStats>> {
    if (this.refusal) return this.refusal;
    const live = this.live;
    if (!live) return sessionNotFound();
    await live.index.flush();
    return ok(live.index.stats());
  }

  /** A single-use ticket for a member's WebSocket upgrade (the Worker has authorised them). */
  async issueTicket(holder: TicketHolder): Promise<Result<Ticket>> {
    if (this.refusal) return this.refusal;
    const live = this.live;
    if (!live) return sessionNotFound();
    return ok(await new TicketStore(live.store.sql).issue(holder, this.ticketTtlMs));
  }

  /**
   * The owner removed a member (role null: their sockets close with 4403) or changed their role (it
   * applies to their sockets' next frame). Called by the Worker after the D1 write, before it answers.
   */
  applyMemberRole(userId: string, role: Role | null): Result<{ sockets: number }> {
    return ok({ sockets: this.access.applyRole(userId, role) });
  }

  /** A credential was revoked: the sockets opened with it close with 4401. */
  endCredentialSockets(credentialId: string): Result<{ sockets: number }> {
    return ok({ sockets: this.access.endCredential(credentialId) });
  }

  /**
   * WebSocket upgrades only, from the Worker (src/sessions/api/ws.handlers.ts). Whatever the Worker
   * checked (possibly from its caches), membership, role and credential are read again from D1
   * here, so a ticket issued before a removal or a logout opens nothing.
   */
  override async fetch(request: Request): Promise<Response> {
    const upgrade = readUpgrade(request);
    if (this.refusal) return errorResponse(this.refusal.error.code, this.refusal.error);
    const live = this.live;
    if (!live) return errorResponse("session_not_found");
    let principal = upgrade.principal;
    if (upgrade.ticket !== undefined) principal = await new TicketStore(live.store.sql).redeem(upgrade.ticket);
    if (!principal) return errorResponse("invalid_ticket");
    const admitted = await admission(this.env.DB, live.store.meta.get().id, principal, Date.now());
    if (this.live !== live) return errorResponse("session_not_found");
    if (!admitted.ok) {
      return admitted.reason === "not_member"
        ? errorResponse("access_revoked")
        : errorResponse("credential_revoked", {
            message: "The credential behind this upgrade was revoked or has expired.",
          });
    }
    const { response, opened } = this.sockets.accept(principal, admitted.role, upgrade.since);
    if (opened) this.access.watch(opened);
    return response;
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    this.sockets.onMessage(ws, message);
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    this.sockets.onClose(ws, code);
  }

  /** Every owner of the shared alarm does its due work; each re-arms what it still needs. */
  override async alarm(): Promise<void> {
    this.clock.fired();
    const live = this.live;
    if (!live) return;
    await live.index.flush();
    if (this.live === live) await this.access.recheck(live.store.meta.get().id);
  }

  private newStore(): SessionStore {
    return new SessionStore(new Sql(this.ctx.storage), this.inputs, this.limits);
  }

  private liveFor(store: SessionStore): Live {
    return { store, index: new IndexSync(this.clock, this.env.DB, store, this.limits.indexFlushMs) };
  }

  private read<T>(op: (store: SessionStore) => Result<T>): Result<T> {
    if (this.refusal) return this.refusal;
    return this.live ? op(this.live.store) : sessionNotFound();
  }

  /** The one place where a committed change is announced. */
  private mutate<T>(op: (store: SessionStore) => Mutation<T> | Failure): Result<T> {
    if (this.refusal) return this.refusal;
    if (!this.live) return sessionNotFound();
    const outcome = op(this.live.store);
    if (!outcome.ok) return outcome;
    if (outcome.event) this.changes.publish(outcome.event);
    return ok(outcome.value);
  }
}
