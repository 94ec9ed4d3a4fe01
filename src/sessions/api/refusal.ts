// Refused WebSocket upgrades made legible: a browser cannot read the HTTP status of a failed
// handshake, so the Worker accepts the socket itself, sends the refusal as an `error` frame and
// closes it at once with 4000 + that status (CLOSE_CODES in protocol.ts). Refusals decided in the
// Worker (credentials, Origin, membership, validation) never wake the session object.
import type { MiddlewareHandler } from "hono";
import { type ErrorBody, errorBody } from "../../errors/body.ts";
import { GENERIC_CODES } from "../../errors/catalogue.ts";
import { encodeServerFrame, refusalCloseCode } from "../protocol.ts";

type Refusal = ErrorBody["error"];

/** A close reason may carry at most 123 UTF-8 bytes (RFC 6455, 5.5). */
const MAX_REASON_BYTES = 123;

export function isWebSocketUpgrade(request: Request): boolean {
  return request.method === "GET" && request.headers.get("upgrade")?.toLowerCase() === "websocket";
}

function closeReason(message: string): string {
  const encoder = new TextEncoder();
  let reason = message;
  while (encoder.encode(reason).byteLength > MAX_REASON_BYTES) reason = reason.slice(0, -1);
  return reason;
}

/** The refusal in the one error model; a body outside it (never expected) still gets a code. */
async function refusalOf(res: Response): Promise<Refusal> {
  const body = (await res.json().catch(() => null)) as Partial<ErrorBody> | null;
  const error = body?.error;
  if (typeof error?.code === "string" && typeof error.message === "string") return error;
  return errorBody(GENERIC_CODES[res.status] ?? "internal_error", { message: "The upgrade was refused." }).error;
}

/** A socket that says why it was refused, then closes: the 101 answer that carries a refusal. */
export function refusedSocket(status: number, error: Refusal): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  server.accept();
  server.send(encodeServerFrame({ type: "error", ...error }));
  server.close(refusalCloseCode(status), closeReason(error.message));
  return new Response(null, { status: 101, webSocket: client });
}

/**
 * Wraps the upgrade route from outside the auth gate, so every refusal of an upgrade (missing
 * credentials, a bad ticket, a stranger, a disallowed Origin, a bad query, the object's own "no")
 * reaches the client the same way. Requests that are not upgrades keep their plain HTTP answer.
 */
export const refuseUpgradesAsSockets: MiddlewareHandler = async (c, next) => {
  if (!isWebSocketUpgrade(c.req.raw)) return next();
  await next();
  if (c.res.status === 101) return;
  const refused = refusedSocket(c.res.status, await refusalOf(c.res));
  // Unset first: Hono would otherwise copy the refusal's headers (WWW-Authenticate, ...) onto the 101.
  c.res = undefined;
  c.res = refused;
};
