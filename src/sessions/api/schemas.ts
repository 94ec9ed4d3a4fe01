// Request and response schemas for the session routes: they validate at the edge and they document.
import { z } from "@hono/zod-openapi";
import { configuredBy } from "../../http/openapi-document.ts";
import { TOO_DEEP, withinJsonDepth } from "../../shared/text.ts";
import {
  MESSAGE_ROLES,
  MemberModel,
  MessageModel,
  ROLES,
  SessionInfoModel,
  TASK_STATUSES,
  TaskModel,
  Timestamp,
} from "../model.ts";

/**
 * A JSON object. Values need no schema of their own: request bodies come from JSON.parse, and the
 * object checks size and shape again. (zod's recursive `z.json()` overflows the OpenAPI generator.)
 */
const JsonObject = z
  .record(z.string(), z.any())
  .refine(withinJsonDepth, TOO_DEEP) // deeper values would overflow the stack on their way to the object
  .openapi({ example: { topic: "onboarding" } });
/**
 * 1000 is the most SESSION_MAX_TITLE_LENGTH may be; the object enforces the configured value, which
 * the served document states as maxLength.
 */
const Title = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .openapi({ description: "At most SESSION_MAX_TITLE_LENGTH characters", ...configuredBy("SESSION_MAX_TITLE_LENGTH") });
/** A page of a D1 list (sessions): a fixed bound, the same everywhere. */
const Limit = (fallback: number) =>
  z.coerce.number().int().min(1).max(200).default(fallback).openapi({ description: "Page size (1–200)" });
/** A page of messages: the session object applies its default and SESSION_MAX_PAGE_SIZE (1000 at most). */
const MessagePageSize = z.coerce
  .number()
  .int()
  .min(1)
  .max(1000)
  .optional()
  .openapi({
    type: "integer",
    minimum: 1,
    description: "Page size: 50 when omitted (or SESSION_MAX_PAGE_SIZE if smaller), at most SESSION_MAX_PAGE_SIZE",
    ...configuredBy("SESSION_MAX_PAGE_SIZE"),
  });

/** Session ids are 128 random bits; anything else cannot name a session, so it is simply not found. */
export const SESSION_ID_PATTERN = /^ses_[A-Za-z0-9_-]{22}$/;
export const SessionIdParam = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "ses_3q2x9Lm0cVb7Yt1kRz4wNA" }),
});
/** Task and user ids are visible ASCII (the session object's rule for every id it stores); others are a 422. */
const VisibleAsciiId = (name: string) =>
  z
    .string()
    .regex(/^[\x21-\x7E]{1,128}$/, "Expected 1 to 128 visible ASCII characters.")
    .openapi({ param: { name, in: "path" } });
export const TaskParams = SessionIdParam.extend({ taskId: VisibleAsciiId("taskId") });
export const MemberParams = SessionIdParam.extend({ userId: VisibleAsciiId("userId") });

export const RoleSchema = z.enum(ROLES).openapi("Role");

const YourRole = { role: RoleSchema.openapi({ description: "Your role in this session" }) };

/** The D1 index's view: the model's identity and counters, no metadata (counts lag live data). */
export const SessionSummarySchema = z
  .object({
    ...SessionInfoModel.pick({
      id: true,
      title: true,
      ownerId: true,
      createdAt: true,
      updatedAt: true,
      lastMessageAt: true,
      messageCount: true,
      openTaskCount: true,
    }).shape,
    ...YourRole,
    lastActivityAt: Timestamp,
  })
  .openapi("SessionSummary", { description: "A row of the D1 index; counts lag live data by a few seconds" });

export const SessionSchema = z
  .object({ ...SessionInfoModel.shape, ...YourRole, metadata: JsonObject })
  .openapi("Session", { description: "Live from the session's Durable Object" });

export const SessionEnvelope = z.object({ session: SessionSchema }).openapi("SessionResponse");

const NextCursor = z.string().nullable().openapi({ description: "Pass back as `?cursor=`; null on the last page" });

export const SessionList = z
  .object({ items: z.array(SessionSummarySchema), nextCursor: NextCursor })
  .openapi("SessionList");

export const ListSessionsQuery = z.object({
  limit: Limit(20),
  cursor: z.string().max(200).optional(),
});

export const CreateSessionBody = z
  .strictObject({ title: Title.optional(), metadata: JsonObject.optional() })
  .openapi("CreateSessionRequest");

export const PatchSessionBody = z
  .strictObject({ title: Title.nullable().optional(), metadata: JsonObject.optional() })
  .refine((body) => body.title !== undefined || body.metadata !== undefined, "Give a title or metadata to change.")
  .openapi("PatchSessionRequest", { minProperties: 1 });

export const MessageSchema = MessageModel.openapi("Message");

export const MessageEnvelope = z.object({ message: MessageSchema }).openapi("MessageResponse");
export const MessageList = z.object({ items: z.array(MessageSchema), nextCursor: NextCursor }).openapi("MessageList");

export const CreateMessageBody = z
  .strictObject({
    content: z
      .string()
      .min(1)
      .openapi({ description: "At most SESSION_MAX_CONTENT_BYTES of UTF-8 (32 KiB by default)" }),
    role: z
      .enum(MESSAGE_ROLES)
      .optional()
      .openapi({ description: "Defaults to `user`; other roles need the session owner" }),
    metadata: JsonObject.optional(),
  })
  .openapi("CreateMessageRequest");

export const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .regex(/^[\x21-\x7E]{1,255}$/, "Expected 1 to 255 visible ASCII characters.")
    .optional()
    .openapi({
      param: { name: "idempotency-key", in: "header" },
      description: "Retry-safe: the same key returns the original message",
    }),
});

/** A query string carries text, coerced here: the document says integer, never null (the type drops the bound). */
const Seq = z.coerce.number().int().min(0).openapi({ type: "integer", minimum: 0 });
export const ListMessagesQuery = z.object({
  after: Seq.optional().openapi({ description: "Only messages with a greater seq (oldest first)" }),
  before: Seq.optional().openapi({ description: "Only messages with a smaller seq (the newest of them)" }),
  latest: z
    .enum(["true", "false"])
    .optional()
    .openapi({ description: "`true`: the most recent page (pass `nextCursor` to go further back)" }),
  limit: MessagePageSize,
  cursor: z.string().max(40).optional(),
});

export const TaskSchema = TaskModel.openapi("Task");

export const TaskEnvelope = z.object({ task: TaskSchema }).openapi("TaskResponse");
export const TaskList = z.object({ items: z.array(TaskSchema), nextCursor: NextCursor }).openapi("TaskList");
export const ListTasksQuery = z.object({ status: z.enum(TASK_STATUSES).optional() });

export const CreateTaskBody = z
  .strictObject({ title: Title, status: z.enum(TASK_STATUSES).optional() })
  .openapi("CreateTaskRequest");

export const PatchTaskBody = z
  .strictObject({ title: Title.optional(), status: z.enum(TASK_STATUSES).optional(), position: z.int().optional() })
  .refine((body) => Object.values(body).some((v) => v !== undefined), "Give a title, status or position to change.")
  .openapi("PatchTaskRequest", { minProperties: 1 });

export const MemberSchema = MemberModel.extend({ role: RoleSchema }).openapi("Member");

export const MemberEnvelope = z.object({ member: MemberSchema }).openapi("MemberResponse");
export const MemberList = z.object({ items: z.array(MemberSchema), nextCursor: NextCursor }).openapi("MemberList");

const GrantableRole = z.enum(["editor", "viewer"]);

export const AddMemberBody = z
  .strictObject({ email: z.email().max(254), role: GrantableRole })
  .openapi("AddMemberRequest");

export const ChangeMemberRoleBody = z.strictObject({ role: GrantableRole }).openapi("ChangeMemberRoleRequest");
