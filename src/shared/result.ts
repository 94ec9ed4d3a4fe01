// Results as data: where an error class cannot travel (Workers RPC drops custom classes) or a
// caller must handle the failure, a function returns `{ ok: true, value } | { ok: false, error }`.

export type Success<T> = { ok: true; value: T };
export type Failure<E> = { ok: false; error: E };
export type Result<T, E> = Success<T> | Failure<E>;

export const ok = <T>(value: T): Success<T> => ({ ok: true, value });
