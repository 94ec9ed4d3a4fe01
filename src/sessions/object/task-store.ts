// SQL for the session's tasks: an ordered working list, read by status through its index.
import type { Sql } from "../../shared/sql.ts";
import {
  type CreateTaskInput,
  iso,
  isoOrNull,
  OPEN_TASK_STATUSES,
  type Task,
  type TaskPatch,
  type TaskStatus,
} from "../model.ts";

type TaskRow = {
  id: string;
  title: string;
  status: TaskStatus;
  position: number;
  created_by: string;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
};

const COLUMNS = "id, title, status, position, created_by, created_at, updated_at, completed_at";
// Matches the indexes exactly (ties fall back to rowid, i.e. creation order), so no sort step.
const ORDER = "ORDER BY position, created_at";
const COUNT_OPEN = `SELECT count(*) AS n FROM tasks WHERE status IN (${OPEN_TASK_STATUSES.map(() => "?").join(", ")})`;

/** A task to insert: what the caller sent, with its status decided. */
export type NewTask = CreateTaskInput & { status: TaskStatus };

const toTask = (row: TaskRow): Task => ({
  id: row.id,
  title: row.title,
  status: row.status,
  position: row.position,
  createdBy: row.created_by,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
  completedAt: isoOrNull(row.completed_at),
});

/** `completed_at` follows the status: set when a task becomes completed, cleared when it leaves it. */
function completedAt(status: TaskStatus, previous: TaskRow | undefined, now: number): number | null {
  if (status !== "completed") return null;
  return previous?.status === "completed" ? previous.completed_at : now;
}

export class TaskStore {
  private readonly sql: Sql;

  constructor(sql: Sql) {
    this.sql = sql;
  }

  /** Without a position, the task goes to the end of the list. */
  create(input: NewTask, now: number): Task {
    const position =
      input.position ??
      this.sql.first<{ next: number }>("SELECT coalesce(max(position), 0) + 1 AS next FROM tasks")?.next ??
      1;
    const row: TaskRow = {
      id: crypto.randomUUID(),
      title: input.title,
      status: input.status,
      position,
      created_by: input.createdBy,
      created_at: now,
      updated_at: now,
      completed_at: completedAt(input.status, undefined, now),
    };
    this.sql.run(
      `INSERT INTO tasks (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.title,
      row.status,
      row.position,
      row.created_by,
      row.created_at,
      row.updated_at,
      row.completed_at,
    );
    return toTask(row);
  }

  update(id: string, patch: TaskPatch, now: number): Task | undefined {
    const previous = this.sql.first<TaskRow>(`SELECT ${COLUMNS} FROM tasks WHERE id = ? LIMIT 1`, id);
    if (!previous) return undefined;
    const status = patch.status ?? previous.status;
    const row: TaskRow = {
      ...previous,
      title: patch.title ?? previous.title,
      status,
      position: patch.position ?? previous.position,
      updated_at: now,
      completed_at: completedAt(status, previous, now),
    };
    this.sql.run(
      "UPDATE tasks SET title = ?, status = ?, position = ?, updated_at = ?, completed_at = ? WHERE id = ?",
      row.title,
      row.status,
      row.position,
      row.updated_at,
      row.completed_at,
      id,
    );
    return toTask(row);
  }

  delete(id: string): boolean {
    return this.sql.all("DELETE FROM tasks WHERE id = ? RETURNING id", id).length > 0;
  }

  list(status?: TaskStatus): Task[] {
    const rows =
      status === undefined
        ? this.sql.all<TaskRow>(`SELECT ${COLUMNS} FROM tasks ${ORDER}`)
        : this.sql.all<TaskRow>(`SELECT ${COLUMNS} FROM tasks WHERE status = ? ${ORDER}`, status);
    return rows.map(toTask);
  }

  count(): number {
    return this.sql.first<{ n: number }>("SELECT count(*) AS n FROM tasks")?.n ?? 0;
  }

  openCount(): number {
    return this.sql.first<{ n: number }>(COUNT_OPEN, ...OPEN_TASK_STATUSES)?.n ?? 0;
  }
}
