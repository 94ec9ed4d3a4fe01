// SQL for the session's single metadata row, its change counter and the D1 flush bookkeeping.
import { loadJson, type Sql } from "../../shared/sql.ts";
import { iso, type SessionMeta } from "../model.ts";

type MetaRow = {
  id: string;
  owner_id: string;
  title: string | null;
  metadata: string | null;
  created_at: number;
  updated_at: number;
  revision: number;
  activity_at: number | null;
};

type FlushRow = { flushed_version: number; d1_writes: number; d1_failures: number; last_flush_at: number | null };

/** Metadata arrives already serialised (and size-checked) by the caller. */
export interface NewMeta {
  id: string;
  ownerId: string;
  title?: string;
  metadataText: string | null;
}

/** Undefined leaves a field as it is. */
export interface MetaPatch {
  title?: string | null;
  metadataText?: string | null;
}

export class MetaStore {
  private readonly sql: Sql;

  constructor(sql: Sql) {
    this.sql = sql;
  }

  insert(meta: NewMeta, now: number): void {
    this.sql.run(
      `INSERT INTO session_meta (singleton, id, owner_id, title, metadata, created_at, updated_at, activity_at)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?)`,
      meta.id,
      meta.ownerId,
      meta.title ?? null,
      meta.metadataText,
      now,
      now,
      now,
    );
  }

  row(): MetaRow {
    const row =
      this.sql.first<MetaRow>(`SELECT id, owner_id, title, metadata, created_at, updated_at, revision, activity_at
       FROM session_meta WHERE singleton = 1 LIMIT 1`);
    if (!row) throw new Error("Session schema exists but its metadata row is missing.");
    return row;
  }

  get(): SessionMeta {
    const row = this.row();
    return {
      id: row.id,
      ownerId: row.owner_id,
      title: row.title,
      metadata: loadJson(row.metadata),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  }

  update(patch: MetaPatch, now: number): void {
    const row = this.row();
    this.sql.run(
      "UPDATE session_meta SET title = ?, metadata = ?, updated_at = ?, revision = revision + 1, activity_at = ?",
      patch.title === undefined ? row.title : patch.title,
      patch.metadataText === undefined ? row.metadata : patch.metadataText,
      now,
      now,
    );
  }

  /** Records a change that messages' seq does not count (tasks), so the D1 index sees it. */
  touch(now: number): void {
    this.sql.run("UPDATE session_meta SET revision = revision + 1, activity_at = ?", now);
  }

  flushState(): FlushRow {
    const row = this.sql.first<FlushRow>(
      `SELECT flushed_version, d1_writes, d1_failures, last_flush_at FROM index_sync WHERE singleton = 1 LIMIT 1`,
    );
    if (!row) throw new Error("Session schema exists but its index_sync row is missing.");
    return row;
  }

  recordFlush(version: number, now: number): void {
    this.sql.run(
      `UPDATE index_sync SET flushed_version = max(flushed_version, ?), d1_writes = d1_writes + 1, last_flush_at = ?`,
      version,
      now,
    );
  }

  recordFlushFailure(): void {
    this.sql.run("UPDATE index_sync SET d1_failures = d1_failures + 1");
  }
}
