// Handlers for tasks: editors and owners write, every member reads.
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env.ts";
import { authorize } from "./access.ts";
import { callSession } from "./session-call.ts";
import type { createTaskRoute, deleteTaskRoute, listTasksRoute, patchTaskRoute } from "./tasks.routes.ts";

export const createTask: RouteHandler<typeof createTaskRoute, AppEnv> = async (c) => {
  const access = await authorize(c, c.req.valid("param").id, "write");
  const { title, status } = c.req.valid("json");
  const task = await callSession(c, access, (stub) => stub.createTask({ title, status, createdBy: access.userId }));
  return c.json({ task }, 201);
};

export const listTasks: RouteHandler<typeof listTasksRoute, AppEnv> = async (c) => {
  const access = await authorize(c, c.req.valid("param").id, "read");
  const { status } = c.req.valid("query");
  const items = await callSession(c, access, (stub) => stub.listTasks(status ? { status } : {}));
  return c.json({ items, nextCursor: null }, 200);
};

export const patchTask: RouteHandler<typeof patchTaskRoute, AppEnv> = async (c) => {
  const { id, taskId } = c.req.valid("param");
  const access = await authorize(c, id, "write");
  const patch = c.req.valid("json");
  const task = await callSession(c, access, (stub) => stub.updateTask(taskId, patch));
  return c.json({ task }, 200);
};

export const deleteTask: RouteHandler<typeof deleteTaskRoute, AppEnv> = async (c) => {
  const { id, taskId } = c.req.valid("param");
  const access = await authorize(c, id, "write");
  await callSession(c, access, (stub) => stub.deleteTask(taskId));
  return c.body(null, 204);
};
