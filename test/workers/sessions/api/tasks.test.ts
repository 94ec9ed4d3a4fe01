// Tasks through the Worker: create, list (optionally by status), complete, delete, and unknown ids.
import { describe, expect, it } from "vitest";
import { bearer, call } from "../../helpers/auth.ts";
import { type Client, createSession, userWithClient } from "../../helpers/client.ts";

async function addTask(api: Client, id: string, json: { title: string; status?: "pending" | "in_progress" }) {
  const res = await api.v1.sessions[":id"].tasks.$post({ param: { id }, json });
  if (res.status !== 201) expect.unreachable(`create task returned ${res.status}`);
  return (await res.json()).task;
}

async function listTitles(api: Client, id: string, status?: "pending" | "in_progress" | "completed" | "cancelled") {
  const res = await api.v1.sessions[":id"].tasks.$get({ param: { id }, query: status ? { status } : {} });
  if (res.status !== 200) expect.unreachable(`list tasks returned ${res.status}`);
  const body = await res.json();
  expect(body.nextCursor).toBeNull();
  return body.items.map((task) => task.title);
}

async function openTaskCount(api: Client, id: string) {
  const res = await api.v1.sessions[":id"].$get({ param: { id } });
  if (res.status !== 200) expect.unreachable(`GET session returned ${res.status}`);
  return (await res.json()).session.openTaskCount;
}

describe("session tasks", () => {
  it("creates tasks at the end of the list, pending unless told otherwise", async () => {
    const { user, api } = await userWithClient();
    const { id } = await createSession(api);
    const first = await addTask(api, id, { title: "  Write the plan  " });
    expect(first).toMatchObject({
      title: "Write the plan",
      status: "pending",
      position: 1,
      createdBy: user.id,
      completedAt: null,
    });
    const second = await addTask(api, id, { title: "Review it", status: "in_progress" });
    expect(second).toMatchObject({ status: "in_progress", position: 2 });
    expect(await listTitles(api, id)).toEqual(["Write the plan", "Review it"]);
    expect(await openTaskCount(api, id)).toBe(2);
  });

  it("filters the list by status", async () => {
    const { user, api } = await userWithClient();
    const { id } = await createSession(api);
    await addTask(api, id, { title: "a" });
    await addTask(api, id, { title: "b", status: "in_progress" });
    await addTask(api, id, { title: "c" });
    expect(await listTitles(api, id, "pending")).toEqual(["a", "c"]);
    expect(await listTitles(api, id, "in_progress")).toEqual(["b"]);
    expect(await listTitles(api, id, "completed")).toEqual([]);
    const unknown = await call(`/v1/sessions/${id}/tasks?status=done`, { headers: bearer(user.token) });
    expect(unknown.status).toBe(422);
  });

  it("sets completedAt when a task is completed, and clears it when it is reopened", async () => {
    const { api } = await userWithClient();
    const { id } = await createSession(api);
    const task = await addTask(api, id, { title: "Ship" });
    const patch = (json: { status: "completed" | "pending" }) =>
      api.v1.sessions[":id"].tasks[":taskId"].$patch({ param: { id, taskId: task.id }, json });

    const done = await patch({ status: "completed" });
    if (done.status !== 200) expect.unreachable(`PATCH returned ${done.status}`);
    const completed = (await done.json()).task;
    expect(completed).toMatchObject({ id: task.id, status: "completed", title: "Ship" });
    expect(Date.parse(completed.completedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(task.createdAt));
    expect(await listTitles(api, id, "completed")).toEqual(["Ship"]);
    expect(await openTaskCount(api, id)).toBe(0);

    const reopened = await patch({ status: "pending" });
    if (reopened.status !== 200) expect.unreachable(`PATCH returned ${reopened.status}`);
    expect((await reopened.json()).task).toMatchObject({ status: "pending", completedAt: null });
    expect(await openTaskCount(api, id)).toBe(1);
  });

  it("changes title and position, and refuses an empty patch with 422", async () => {
    const { api } = await userWithClient();
    const { id } = await createSession(api);
    const a = await addTask(api, id, { title: "a" });
    await addTask(api, id, { title: "b" });
    const res = await api.v1.sessions[":id"].tasks[":taskId"].$patch({
      param: { id, taskId: a.id },
      json: { title: "a, renamed", position: 10 },
    });
    expect(res.status).toBe(200);
    expect(await listTitles(api, id)).toEqual(["b", "a, renamed"]);
    const empty = await api.v1.sessions[":id"].tasks[":taskId"].$patch({ param: { id, taskId: a.id }, json: {} });
    expect(empty.status).toBe(422);
  });

  it("deletes a task: 204, then it is gone and a second delete is 404", async () => {
    const { api } = await userWithClient();
    const { id } = await createSession(api);
    const keep = await addTask(api, id, { title: "keep" });
    const drop = await addTask(api, id, { title: "drop" });
    const del = () => api.v1.sessions[":id"].tasks[":taskId"].$delete({ param: { id, taskId: drop.id } });
    expect((await del()).status).toBe(204);
    expect(await listTitles(api, id)).toEqual([keep.title]);
    const again = await del();
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ error: { code: "task_not_found" } });
  });

  it("answers 404 task_not_found for a task the session does not have", async () => {
    const { api } = await userWithClient();
    const { id } = await createSession(api);
    const other = await createSession(api);
    const foreign = await addTask(api, other.id, { title: "in another session" });
    for (const taskId of [crypto.randomUUID(), foreign.id]) {
      const patch = await api.v1.sessions[":id"].tasks[":taskId"].$patch({
        param: { id, taskId },
        json: { status: "completed" },
      });
      expect(patch.status).toBe(404);
      expect(await patch.json()).toMatchObject({ error: { code: "task_not_found" } });
      const del = await api.v1.sessions[":id"].tasks[":taskId"].$delete({ param: { id, taskId } });
      expect(del.status).toBe(404);
    }
    expect(await listTitles(api, other.id)).toEqual(["in another session"]);
  });
});
