// The internal upgrade request from the Worker to SessionDO: built from checked values only, so a
// client can never smuggle an identity header through to the object.
import type { SocketPrincipal } from "./attachment.ts";

const ORIGIN = "https://session.internal";

export type UpgradeAuth = { ticket: string } | { principal: SocketPrincipal };

export function buildUpgrade(auth: UpgradeAuth, since: number | undefined): Request {
  const url = new URL(`${ORIGIN}/ws`);
  if (since !== undefined) url.searchParams.set("since", String(since));
  const headers = new Headers({ upgrade: "websocket" });
  if ("ticket" in auth) headers.set("x-ws-ticket", auth.ticket);
  else {
    const { userId, credentialId, expiresAt } = auth.principal;
    headers.set("x-ws-user", userId);
    if (credentialId !== null) headers.set("x-ws-credential", credentialId);
    if (expiresAt !== null) headers.set("x-ws-expires-at", String(expiresAt));
  }
  return new Request(url, { headers });
}

export function readUpgrade(request: Request): { ticket?: string; principal: SocketPrincipal | null; since?: number } {
  const since = new URL(request.url).searchParams.get("since");
  const ticket = request.headers.get("x-ws-ticket") ?? undefined;
  const userId = request.headers.get("x-ws-user");
  const expires = request.headers.get("x-ws-expires-at");
  const principal = userId
    ? {
        userId,
        credentialId: request.headers.get("x-ws-credential"),
        expiresAt: expires === null ? null : Number(expires),
      }
    : null;
  return { ticket, principal, ...(since === null ? {} : { since: Number(since) }) };
}
