// Who a socket speaks for, kept in its hibernation attachment: the user, their current role, and the
// credential the socket was opened with, so access that ends later can find and close it.

import type { Role } from "../model.ts";

/** The identity an upgrade carries into the object: checked against D1 there, before the socket opens. */
export interface SocketPrincipal {
  userId: string;
  /** The `credentials` row the socket was opened with (through a ticket or directly); null for an identity-provider JWT. */
  credentialId: string | null;
  /** Epoch ms at which that credential expires (a JWT's `exp`), or null when it never does. */
  expiresAt: number | null;
}

export interface Attachment extends SocketPrincipal {
  /** Updated in place when the owner changes it: every later frame is judged by this value. */
  role: Role;
}

export function readAttachment(ws: WebSocket): Attachment {
  return ws.deserializeAttachment() as Attachment;
}
