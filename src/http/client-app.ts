// The app's type as hono/client reads it: `hc<App>` with optional request headers left optional.
import type { Hono } from "hono";
import type { ExtractSchema } from "hono/types";

// @hono/zod-openapi types every declared header schema as a required `header` argument, even when
// each header in it is optional (Idempotency-Key): without this, every append through `hc` needs
// `header: {}`. The runtime is unchanged; only the client's view of the input is.
type OptionalHeader<I> = I extends { header: infer H }
  ? Record<never, never> extends H
    ? Omit<I, "header"> & { header?: H }
    : I
  : I;
type ClientEndpoint<E> = E extends { input: infer I } ? Omit<E, "input"> & { input: OptionalHeader<I> } : E;
type ClientSchema<S> = { [P in keyof S]: { [M in keyof S[P]]: ClientEndpoint<S[P][M]> } };

export type ClientApp<T> =
  T extends Hono<infer E, infer _, infer B> ? Hono<E, ClientSchema<ExtractSchema<T>>, B> : never;
