// The internal upgrade request from the Worker to SessionDO: built from checked values only, so a
// client can never smuggle an identity header through to the object.
import type { Role } from "./protocol.ts";
import type { TicketHolder } from "./tickets.ts";

const ORIGIN = "https://session.internal";

export type UpgradeAuth = { ticket: string } | { member: TicketHolder };

export function buildUpgrade(auth: UpgradeAuth, since: number | undefined): Request {
  const url = new URL(`${ORIGIN}/ws`);
  if (since !== undefined) url.searchParams.set("since", String(since));
  const headers = new Headers({ upgrade: "websocket" });
  if ("ticket" in auth) headers.set("x-ws-ticket", auth.ticket);
  else {
    headers.set("x-ws-user", auth.member.userId);
    headers.set("x-ws-role", auth.member.role);
  }
  return new Request(url, { headers });
}

const ROLES: readonly string[] = ["owner", "editor", "viewer"];

export function readUpgrade(request: Request): { ticket?: string; member: TicketHolder | null; since?: number } {
  const since = new URL(request.url).searchParams.get("since");
  const ticket = request.headers.get("x-ws-ticket") ?? undefined;
  const userId = request.headers.get("x-ws-user");
  const role = request.headers.get("x-ws-role");
  const member = userId && role && ROLES.includes(role) ? { userId, role: role as Role } : null;
  return { ticket, member, ...(since === null ? {} : { since: Number(since) }) };
}
