// RPC results: Workers RPC drops custom error classes, so caller-visible failures travel as data.
// Codes, statuses and default messages come from the error catalogue (src/errors/catalogue.ts).
import { ERROR_CATALOGUE, type ErrorStatus, errorStatus } from "../../errors/catalogue.ts";
import { type Failure as FailureOf, ok, type Result as ResultOf, type Success } from "../../shared/result.ts";

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
  status: ErrorStatus;
  code: SessionErrorCode;
  message: string;
  details?: unknown;
}

export { ok, type Success };
/** The shared Result (src/shared/result.ts) with the failures a session's caller may see. */
export type Failure = FailureOf<SessionError>;
export type Result<T> = ResultOf<T, SessionError>;

export function fail(
  code: SessionErrorCode,
  message: string = ERROR_CATALOGUE[code].message,
  details?: unknown,
): Failure {
  const error: SessionError = { status: errorStatus(code), code, message };
  return { ok: false, error: details === undefined ? error : { ...error, details } };
}

export const sessionNotFound = () => fail("session_not_found");
export const taskNotFound = (taskId: string) => fail("task_not_found", undefined, { taskId });
export const validationFailed = (details: unknown) => fail("validation_failed", undefined, details);
/** The object was written by a newer release whose schema this code cannot serve (migrations.ts). */
export const schemaTooNew = (version: number, minReader: number, known: number) =>
  fail(
    "session_schema_too_new",
    "This session was written by a newer release of the API that this deployment cannot read; it is served again once that release is deployed.",
    { schemaVersion: version, requiresCodeVersion: minReader, codeVersion: known },
  );
