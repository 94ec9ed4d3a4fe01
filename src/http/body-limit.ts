// Request bodies larger than MAX_BODY_BYTES are refused with 413 before anything reads them.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getConfig } from "../config/config.ts";
import type { AppEnv } from "./app-env.ts";
import { ApiError } from "./errors.ts";

const limiters = new Map<number, MiddlewareHandler>();

function limiterFor(maxSize: number): MiddlewareHandler {
  let limiter = limiters.get(maxSize);
  if (!limiter) {
    limiter = bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, "payload_too_large", `The request body is larger than ${maxSize} bytes.`);
      },
    });
    limiters.set(maxSize, limiter);
  }
  return limiter;
}

export const bodyLimitFromConfig: MiddlewareHandler<AppEnv> = (c, next) => {
  // Bodiless requests (most reads) skip the lookup entirely.
  if (!c.req.raw.body) return next();
  return limiterFor(getConfig(c.env).MAX_BODY_BYTES)(c, next);
};
