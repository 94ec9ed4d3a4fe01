// Every response's request id and security headers, set in one pass: the same defaults as Hono's
// secure-headers middleware, precomputed, because the append hot path pays for every middleware.
import type { MiddlewareHandler } from "hono";

/** Hono secure-headers' defaults (no CSP here: the API serves JSON; /docs sends its own). */
const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Origin-Agent-Cluster", "?1"],
  ["Referrer-Policy", "no-referrer"],
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Download-Options", "noopen"],
  ["X-Frame-Options", "SAMEORIGIN"],
  ["X-Permitted-Cross-Domain-Policies", "none"],
  ["X-XSS-Protection", "0"],
];

/** A caller's own request id is kept when it is short and plain; otherwise a new one is made. */
const CALLER_REQUEST_ID = /^[\w\-=]{1,255}$/;

declare module "hono" {
  interface ContextVariableMap {
    requestId: string;
  }
}

export const edgeHeaders: MiddlewareHandler = async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const id = incoming !== undefined && CALLER_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", id);
  await next();
  const headers = c.res.headers;
  headers.set("X-Request-Id", id);
  for (const [name, value] of SECURITY_HEADERS) headers.set(name, value);
  // API answers are per caller and may carry secrets (tokens, keys, tickets): no cache keeps them.
  if (c.req.path.startsWith("/v1/") && !headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
};
