// How sessions and members look on the wire: D1 rows and object data mapped to the API's shapes.

import { project, type Role, type SessionInfo, SessionInfoModel } from "../model.ts";
import type { MemberRow, SessionRow } from "./index-store.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** Live data from the object, with the caller's role: every field of the model, and nothing else. */
export function presentSession(info: SessionInfo, role: Role) {
  return { ...project(SessionInfoModel, info), role };
}

/** A row of the D1 index (counts lag live data by up to the index flush interval). */
export function presentSummary(row: SessionRow & { role: Role }) {
  return {
    id: row.id,
    title: row.title,
    ownerId: row.owner_id,
    role: row.role,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    lastMessageAt: isoOrNull(row.last_message_at),
    lastActivityAt: iso(row.last_activity_at),
    messageCount: row.message_count,
    openTaskCount: row.open_task_count,
  };
}

export function presentMember(row: MemberRow) {
  return { userId: row.user_id, email: row.email, name: row.name, role: row.role, addedAt: iso(row.created_at) };
}
