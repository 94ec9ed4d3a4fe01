import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createSession, expectError, expectOk } from "./helpers.ts";

describe("tasks", () => {
  it("creates tasks at the end of the list unless given a position", async () => {
    const { stub, ownerId } = await createSession();
    const a = expectOk(await stub.createTask({ title: "  Write the schema  ", createdBy: ownerId }));
    const b = expectOk(await stub.createTask({ title: "Test it", createdBy: ownerId }));
    const first = expectOk(await stub.createTask({ title: "Read the notes", createdBy: ownerId, position: 0 }));
    expect(a).toMatchObject({ title: "Write the schema", status: "pending", position: 1, createdBy: ownerId });
    expect(a.completedAt).toBeNull();
    expect(b.position).toBe(2);
    expect(expectOk(await stub.listTasks()).map((task) => task.id)).toEqual([first.id, a.id, b.id]);
  });

  it("tracks status changes, completedAt and the open count, and filters by status", async () => {
    const { stub, ownerId } = await createSession();
    const a = expectOk(await stub.createTask({ title: "one", createdBy: ownerId }));
    const b = expectOk(await stub.createTask({ title: "two", createdBy: ownerId }));
    const c = expectOk(await stub.createTask({ title: "three", createdBy: ownerId }));
    expect(expectOk(await stub.getSessionMeta()).openTaskCount).toBe(3);

    const started = expectOk(await stub.updateTask(a.id, { status: "in_progress" }));
    expect(started).toMatchObject({ status: "in_progress", completedAt: null });
    const done = expectOk(await stub.updateTask(b.id, { status: "completed" }));
    expect(done.completedAt).not.toBeNull();
    const renamed = expectOk(await stub.updateTask(b.id, { title: "two (done)" }));
    expect(renamed.completedAt).toBe(done.completedAt);
    expectOk(await stub.updateTask(c.id, { status: "cancelled" }));

    const ids = async (status?: "pending" | "in_progress" | "completed" | "cancelled") =>
      expectOk(await stub.listTasks(status ? { status } : {})).map((task) => task.id);
    expect(await ids("completed")).toEqual([b.id]);
    expect(await ids("in_progress")).toEqual([a.id]);
    expect(await ids("pending")).toEqual([]);
    expect(await ids()).toEqual([a.id, b.id, c.id]);
    expect(expectOk(await stub.getSessionMeta()).openTaskCount).toBe(1);

    const reopened = expectOk(await stub.updateTask(b.id, { status: "pending", position: 9 }));
    expect(reopened).toMatchObject({ status: "pending", completedAt: null, position: 9 });
    expect(expectOk(await stub.getSessionMeta()).openTaskCount).toBe(2);
  });

  it("deletes tasks and reports unknown ones as task_not_found", async () => {
    const { stub, ownerId } = await createSession();
    const task = expectOk(await stub.createTask({ title: "Short-lived", createdBy: ownerId }));
    expect(expectOk(await stub.deleteTask(task.id))).toEqual({ id: task.id });
    expectError(await stub.deleteTask(task.id), "task_not_found", 404);
    expectError(await stub.updateTask(task.id, { status: "completed" }), "task_not_found", 404);
    expect(expectOk(await stub.listTasks())).toEqual([]);
  });

  it("validates task input", async () => {
    const { stub, ownerId } = await createSession();
    const task = expectOk(await stub.createTask({ title: "Valid", createdBy: ownerId }));
    expectError(await stub.createTask({ title: "", createdBy: ownerId }), "validation_failed", 422);
    expectError(await stub.createTask({ title: "x".repeat(201), createdBy: ownerId }), "validation_failed", 422);
    expectError(
      await stub.createTask({ title: "x", createdBy: ownerId, status: "done" } as never),
      "validation_failed",
      422,
    );
    expectError(await stub.updateTask(task.id, {}), "validation_failed", 422);
    expectError(await stub.updateTask(task.id, { position: 1.5 }), "validation_failed", 422);
    expectError(await stub.listTasks({ status: "open" } as never), "validation_failed", 422);
    expect(expectOk(await stub.listTasks())).toHaveLength(1);
  });

  it("reads tasks by status and in order from an index, without a sort step", async () => {
    const { stub } = await createSession();
    const plans = await runInDurableObject(stub, (_instance, state) =>
      [
        "SELECT id FROM tasks WHERE status = 'pending' ORDER BY position, created_at",
        "SELECT id FROM tasks ORDER BY position, created_at",
        "SELECT seq FROM messages WHERE seq > 10 AND seq < 99 ORDER BY seq LIMIT 5",
      ].map((query) =>
        state.storage.sql
          .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${query}`)
          .toArray()
          .map((row) => row.detail)
          .join("; "),
      ),
    );
    expect(plans[0]).toContain("USING INDEX tasks_by_status");
    expect(plans[1]).toContain("USING INDEX tasks_by_position");
    expect(plans[2]).toContain("INTEGER PRIMARY KEY");
    for (const plan of plans) expect(plan).not.toContain("TEMP B-TREE");
  });
});

describe("task limit", () => {
  it("refuses a task beyond SESSION_MAX_TASKS with task_limit, and accepts one again after a delete", async () => {
    const { stub, ownerId } = await createSession();
    const limit = Number(env.SESSION_MAX_TASKS);
    // Filled directly: the limit is about the count, not how the rows got there.
    await runInDurableObject(stub, (_instance, state) => {
      for (let i = 0; i < limit - 1; i++) {
        state.storage.sql.exec(
          "INSERT INTO tasks (id, title, status, position, created_by, created_at, updated_at) VALUES (?, ?, 'pending', ?, ?, 0, 0)",
          `filled-${i}`,
          `task ${i}`,
          i + 1,
          ownerId,
        );
      }
    });
    const last = expectOk(await stub.createTask({ title: "the last one", createdBy: ownerId }));
    expectError(await stub.createTask({ title: "one too many", createdBy: ownerId }), "task_limit", 409);
    expect(expectOk(await stub.listTasks()).length).toBe(limit);
    expectOk(await stub.deleteTask(last.id));
    expectOk(await stub.createTask({ title: "room again", createdBy: ownerId }));
  });
});
