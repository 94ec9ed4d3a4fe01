// RPC results: Workers RPC drops custom error classes, so caller-visible failures travel as data.
export type SessionErrorStatus = 403 | 404 | 409 | 413 | 422 | 503;

export type SessionErrorCode =
  | "session_not_found"
  | "session_conflict"
  | "task_not_found"
  | "task_limit"
  | "idempotency_conflict"
  | "message_role_forbidden"
  | "content_too_large"
  | "metadata_too_large"
  | "validation_failed"
  | "session_schema_too_new";

export interface SessionError {
  status: SessionErrorStatus;
  code: SessionErrorCode;
  message: string;
  details?: unknown;
}

export type Success<T> = { ok: true; value: T };
export type Failure = { ok: false; error: SessionError };
export type Result<T> = Success<T> | Failure;

export const ok = <T>(value: T): Success<T> => ({ ok: true, value });

export function fail(status: SessionErrorStatus, code: SessionErrorCode, message: string, details?: unknown): Failure {
  return { ok: false, error: details === undefined ? { status, code, message } : { status, code, message, details } };
}

export const sessionNotFound = () => fail(404, "session_not_found", "This session does not exist.");
export const taskNotFound = (taskId: string) =>
  fail(404, "task_not_found", "This task does not exist in the session.", { taskId });
export const validationFailed = (details: unknown) =>
  fail(422, "validation_failed", "The request did not pass validation.", details);
/** The object was written by a newer release whose schema this code cannot serve (migrations.ts). */
export const schemaTooNew = (version: number, minReader: number, known: number) =>
  fail(
    503,
    "session_schema_too_new",
    "This session was written by a newer release of the API that this deployment cannot read; it is served again once that release is deployed.",
    { schemaVersion: version, requiresCodeVersion: minReader, codeVersion: known },
  );
