// The WebSocket wire protocol, shared by the server (SessionDO) and the typed client: frame schemas,
// the unions derived from them, and the one parser that turns a raw frame into a typed event.
import { z } from "zod";
import { MESSAGE_ROLES, MessageModel, Metadata, ROLES, SessionMetaModel, TASK_STATUSES, TaskModel } from "./model.ts";

export const PROTOCOL_VERSION = 1;

/**
 * Heartbeat: answered by the runtime (`setWebSocketAutoResponse`) without waking the object, so
 * the request must be sent byte for byte as below.
 */
export const PING_FRAME = `{"v":${PROTOCOL_VERSION},"type":"ping"}`;
export const PONG_FRAME = `{"v":${PROTOCOL_VERSION},"type":"pong"}`;

/** Close codes the server uses, beyond the standard ones. */
export const CLOSE_CODES = {
  // Refused upgrades (src/sessions/api/refusal.ts): the Worker accepts the socket only to say why, then
  // closes it at once with 4000 + the HTTP status it would have answered (browsers cannot read that),
  // after an `error` frame with the usual code and message. Other 4xx statuses map the same way.
  /** The upgrade request did not pass validation (e.g. a bad `since`). */
  refusedInvalid: 4422,
  /** Credentials or ticket missing, invalid, expired or already used. */
  refusedUnauthorized: 4401,
  /** Not allowed: the browser's Origin, or the caller's access to this session. */
  refusedForbidden: 4403,
  /** No such session (also what a non-member sees: existence is not disclosed). */
  refusedNotFound: 4404,
  /** Too many requests: the one refusal worth retrying, after a backoff. */
  refusedRateLimited: 4429,
  /** The server failed (standard code): worth retrying after a backoff. */
  serverError: 1011,

  /** Normal closure requested by the client. */
  normal: 1000,
  /** Policy violation: frame rate exceeded, or the session already has its maximum of sockets. */
  policy: 1008,
  /** A frame larger than the limit. */
  tooLarge: 1009,
  /** The session was deleted; do not reconnect. */
  sessionDeleted: 4004,
  /** The credential the socket was opened with was revoked (logout, key deletion) or expired; do not reconnect with it. */
  credentialRevoked: 4401,
  /** The user is no longer a member of the session; do not reconnect. */
  accessRevoked: 4403,
} as const;

/** The close code that tells a client an upgrade was refused with this HTTP status. */
export function refusalCloseCode(status: number): number {
  if (status >= 400 && status < 500) return 4000 + status;
  return CLOSE_CODES.serverError;
}

/**
 * Whether a close is final: reconnecting cannot help, so a client stops and reports it. Every
 * application code (4000-4999) is final except 4429; so are normal closure and the limit breaches.
 * Everything else (1001 going away, 1006 dropped, 1011 server error, ...) is a reason to reconnect.
 */
export function isTerminalClose(code: number): boolean {
  if (code >= 4000 && code <= 4999) return code !== CLOSE_CODES.refusedRateLimited;
  return code === CLOSE_CODES.normal || code === CLOSE_CODES.policy || code === CLOSE_CODES.tooLarge;
}

const ref = z.string().min(1).max(64).optional();
const versioned = { v: z.literal(PROTOCOL_VERSION), ref };

export const ClientFrameSchema = z.discriminatedUnion("type", [
  z.strictObject({
    ...versioned,
    type: z.literal("message.create"),
    content: z.string(),
    role: z.enum(MESSAGE_ROLES).optional(),
    metadata: Metadata.optional(),
    idempotencyKey: z.string().optional(),
  }),
  z.strictObject({
    ...versioned,
    type: z.literal("task.create"),
    title: z.string(),
    status: z.enum(TASK_STATUSES).optional(),
  }),
  z.strictObject({
    ...versioned,
    type: z.literal("task.update"),
    taskId: z.string(),
    title: z.string().optional(),
    status: z.enum(TASK_STATUSES).optional(),
    position: z.int().optional(),
  }),
  z.strictObject({ ...versioned, type: z.literal("task.delete"), taskId: z.string() }),
  z.strictObject({ ...versioned, type: z.literal("ping") }),
]);

export type ClientFrame = z.infer<typeof ClientFrameSchema>;
export type ClientFrameType = ClientFrame["type"];
/** What a client sends, without the version (the client adds it). */
export type ClientCommand = ClientFrame extends infer F ? (F extends ClientFrame ? Omit<F, "v"> : never) : never;

export const ServerFrameSchema = z.discriminatedUnion("type", [
  z.object({
    v: z.literal(PROTOCOL_VERSION),
    type: z.literal("hello"),
    /** What a session is, without counters: `session.updated` carries the same shape. */
    session: SessionMetaModel,
    role: z.enum(ROLES),
    lastSeq: z.int(),
  }),
  /** Sent after a `since` replay: everything up to `lastSeq` has been delivered, live events follow. */
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal("replay.done"), lastSeq: z.int() }),
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal("message.created"), message: MessageModel, ref }),
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal("task.created"), task: TaskModel, ref }),
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal("task.updated"), task: TaskModel, ref }),
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal("task.deleted"), taskId: z.string(), ref }),
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal("session.updated"), session: SessionMetaModel }),
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal("session.deleted") }),
  /** The owner changed this user's role; it applies to every later frame on this socket. */
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal("access.changed"), role: z.enum(ROLES) }),
  z.object({
    v: z.literal(PROTOCOL_VERSION),
    type: z.literal("error"),
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    ref,
  }),
  z.object({ v: z.literal(PROTOCOL_VERSION), type: z.literal("pong") }),
]);

export type ServerFrame = z.infer<typeof ServerFrameSchema>;
export type ServerFrameType = ServerFrame["type"];
export type ServerFrameOf<T extends ServerFrameType> = Extract<ServerFrame, { type: T }>;

export type ParsedFrame<T> =
  | { ok: true; frame: T }
  | { ok: false; code: "invalid_json" | "invalid_frame"; message: string; details?: unknown };

function parseWith<T>(schema: z.ZodType<T>, raw: string | ArrayBuffer): ParsedFrame<T> {
  if (typeof raw !== "string") return { ok: false, code: "invalid_frame", message: "Frames must be JSON text." };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, code: "invalid_json", message: "The frame is not valid JSON." };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const details = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  return { ok: false, code: "invalid_frame", message: "The frame does not match the protocol.", details };
}

export const parseClientFrame = (raw: string | ArrayBuffer) => parseWith(ClientFrameSchema, raw);
export const parseServerFrame = (raw: string | ArrayBuffer) => parseWith(ServerFrameSchema, raw);

/** Serialises a server frame (the version is added here, once). */
export function encodeServerFrame(frame: ServerFrameBody): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, ...frame });
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A server frame before the version is added. */
export type ServerFrameBody = DistributiveOmit<ServerFrame, "v">;
