// Request bodies larger than MAX_BODY_BYTES are refused with 413 before anything reads them.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getConfig } from "../config/config.ts";
import type { AppEnv } from "./app-env.ts";
import { apiError } from "./errors.ts";

function tooLarge(maxSize: number): never {
  throw apiError("payload_too_large", { message: `The request body is larger than ${maxSize} bytes.` });
}

const limiters = new Map<number, MiddlewareHandler>();

function limiterFor(maxSize: number): MiddlewareHandler {
  let limiter = limiters.get(maxSize);
  if (!limiter) {
    limiter = bodyLimit({
      maxSize,
      onError: () => tooLarge(maxSize),
    });
    limiters.set(maxSize, limiter);
  }
  return limiter;
}

export const bodyLimitFromConfig: MiddlewareHandler<AppEnv> = (c, next) => {
  // Bodiless requests (most reads) skip the lookup entirely.
  if (!c.req.raw.body) return next();
  const maxSize = getConfig(c.env).MAX_BODY_BYTES;
  // A declared length is checked here; streamed bodies are counted by Hono's limiter as they arrive.
  const declared = c.req.header("content-length");
  if (declared !== undefined && c.req.header("transfer-encoding") === undefined) {
    if (Number(declared) > maxSize) tooLarge(maxSize);
    return next();
  }
  return limiterFor(maxSize)(c, next);
};
