// What callers may send: zod schemas compiled once per set of limits, and the checks that go with them.
import { z } from "zod";
import type { SessionLimits } from "../../config/session-limits.ts";
import { fieldErrors } from "../../shared/field-errors.ts";
import { isWellFormed, NOT_WELL_FORMED, TOO_DEEP, utf8Fits, withinJsonDepth } from "../../shared/text.ts";
import { MESSAGE_ROLES, TASK_STATUSES } from "../model.ts";
import { fail, ok, type Result, validationFailed } from "./result.ts";

const DEFAULT_PAGE_SIZE = 50;

/** Ids minted by the Worker or by this object: visible ASCII, no spaces. */
const identifier = z.string().regex(/^[\x21-\x7E]{1,128}$/, "Expected 1 to 128 visible ASCII characters.");
/** The depth check runs first: z.json() recurses per level. */
const jsonObject = z.unknown().refine(withinJsonDepth, TOO_DEEP).pipe(z.record(z.string(), z.json()));
const text = () => z.string().refine(isWellFormed, NOT_WELL_FORMED);
const seq = z.int().min(0);

function compile(limits: SessionLimits) {
  const title = text().trim().min(1).max(limits.titleLength);
  const limit = z.int().min(1).max(limits.pageSize).default(Math.min(DEFAULT_PAGE_SIZE, limits.pageSize));
  const atLeastOne = (value: object) => Object.values(value).some((field) => field !== undefined);
  return {
    initSession: z.strictObject({
      id: identifier,
      ownerId: identifier,
      title: title.optional(),
      metadata: jsonObject.optional(),
      createdAt: z.int().min(0).optional(),
    }),
    setSessionMeta: z
      .strictObject({ title: title.nullable().optional(), metadata: jsonObject.optional() })
      .refine(atLeastOne, "Nothing to update: give a title or metadata."),
    appendMessage: z.strictObject({
      role: z.enum(MESSAGE_ROLES).default("user"),
      content: text(),
      metadata: jsonObject.optional(),
      authorId: identifier,
      idempotencyKey: z
        .string()
        .regex(/^[\x21-\x7E]{1,255}$/, "Expected 1 to 255 visible ASCII characters.")
        .optional(),
    }),
    listMessages: z.strictObject({ after: seq.optional(), before: seq.optional(), limit }),
    recentMessages: z.strictObject({ limit }),
    createTask: z.strictObject({
      title,
      status: z.enum(TASK_STATUSES).default("pending"),
      position: z.int().optional(),
      createdBy: identifier,
    }),
    updateTask: z
      .strictObject({ title: title.optional(), status: z.enum(TASK_STATUSES).optional(), position: z.int().optional() })
      .refine(atLeastOne, "Nothing to update: give a title, status or position."),
    taskId: identifier,
    listTasks: z.strictObject({ status: z.enum(TASK_STATUSES).optional() }),
  };
}

export type InputSchemas = ReturnType<typeof compile>;
export type Parsed<K extends keyof InputSchemas> = z.output<InputSchemas[K]>;

const compiled = new WeakMap<SessionLimits, InputSchemas>();

/** Compiled once per set of limits, shared by every object in the isolate. */
export function inputSchemas(limits: SessionLimits): InputSchemas {
  let schemas = compiled.get(limits);
  if (!schemas) {
    schemas = compile(limits);
    compiled.set(limits, schemas);
  }
  return schemas;
}

export function parse<T>(schema: z.ZodType<T>, value: unknown): Result<T> {
  const parsed = schema.safeParse(value);
  return parsed.success ? ok(parsed.data) : validationFailed(fieldErrors(parsed.error.issues));
}

const FITS = ok(undefined);

/** Checks UTF-8 size (a 413 naming the measured size when it is over). */
export function checkSize(
  text: string,
  limit: number,
  code: "content_too_large" | "metadata_too_large",
  what: string,
): Result<void> {
  const { fits, size } = utf8Fits(text, limit);
  if (fits) return FITS;
  return fail(code, `The ${what} is ${size} bytes; the limit is ${limit}.`, { limit, size });
}
