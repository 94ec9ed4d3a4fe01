// Worker-side helpers for calling SessionDO: a typed stub for a session id, and results turned into ApiError.
import type { DurableObject } from "cloudflare:workers";
import type { Env } from "../../config/env.ts";
import { type ApiError, apiError } from "../../http/errors.ts";
import type { SessionError } from "../object/result.ts";
import type { SessionDO } from "../object/session-do.ts";

type RpcMethod = Exclude<keyof SessionDO, keyof DurableObject<Env>>;

/**
 * The object's RPC methods as a caller sees them. Derived from the class rather than through
 * `DurableObjectStub<SessionDO>`, whose recursive stub mapping gives up on JSON-typed metadata
 * ("type instantiation is excessively deep"); every result here is plain data, so nothing is lost.
 */
export type SessionStub = DurableObjectStub & {
  [K in RpcMethod]: SessionDO[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** One object per session id, addressed by name: the same id always reaches the same object. */
export function sessionStub(env: { SESSIONS: DurableObjectNamespace }, sessionId: string): SessionStub {
  const stub: DurableObjectStub = env.SESSIONS.getByName(sessionId);
  return stub as SessionStub;
}

type RpcResult = { ok: true; value: unknown } | { ok: false; error: SessionError };
type ValueOf<R> = R extends { ok: true; value: infer T } ? T : never;

export function toApiError(error: SessionError): ApiError {
  return apiError(error.code, { message: error.message, details: error.details });
}

/** `const { message } = unwrap(await stub.appendMessage(input))`: the value, or a thrown ApiError. */
export function unwrap<R extends RpcResult>(result: R): ValueOf<R> {
  if (!result.ok) throw toApiError(result.error);
  return result.value as ValueOf<R>;
}
