// How many sockets a session admits: a per-user cap, and the session's cap with the owner's share
// held back from everyone else, so one user cannot take every socket and the owner always gets in.

import type { RealtimeLimits } from "../../config/realtime-limits.ts";
import type { Role } from "../model.ts";
import type { Attachment } from "./attachment.ts";

export interface LimitRefusal {
  code: "user_socket_limit" | "session_full";
  message: string;
}

/** Why a new socket for `userId` (with `role`) would be refused, given the sockets already open; null when it fits. */
export function socketLimitRefusal(
  open: readonly Attachment[],
  userId: string,
  role: Role,
  limits: Pick<RealtimeLimits, "maxSocketsPerSession" | "maxSocketsPerUser">,
): LimitRefusal | null {
  const { maxSocketsPerSession, maxSocketsPerUser } = limits;
  const mine = open.filter((socket) => socket.userId === userId).length;
  if (mine >= maxSocketsPerUser) {
    return {
      code: "user_socket_limit",
      message: `You already have ${maxSocketsPerUser} sockets open in this session (WS_MAX_SOCKETS_PER_USER).`,
    };
  }
  const nonOwners = open.filter((socket) => socket.role !== "owner").length;
  const full =
    open.length >= maxSocketsPerSession || (role !== "owner" && nonOwners >= maxSocketsPerSession - maxSocketsPerUser);
  return full ? { code: "session_full", message: "This session has too many open sockets." } : null;
}
