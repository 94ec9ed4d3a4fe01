// Route definitions for a session's tasks.
import { createRoute } from "@hono/zod-openapi";
import { BEARER } from "../auth/auth.routes.ts";
import { jsonContent } from "../http/openapi.ts";
import { sessionErrors } from "./error-responses.ts";
import {
  CreateTaskBody,
  ListTasksQuery,
  PatchTaskBody,
  SessionIdParam,
  TaskEnvelope,
  TaskList,
  TaskParams,
} from "./schemas.ts";

const tags = ["tasks"];
const TASK_404 = "No such session (`not_found`) or task (`task_not_found`)";

export const createTaskRoute = createRoute({
  method: "post",
  path: "/sessions/{id}/tasks",
  tags,
  summary: "Add a task (owner or editor)",
  security: BEARER,
  request: { params: SessionIdParam, body: { content: jsonContent(CreateTaskBody), required: true } },
  responses: {
    201: { description: "Created", content: jsonContent(TaskEnvelope) },
    ...sessionErrors([400, 401, 403, 404, 409, 413, 415, 422], {
      409: "The session already holds SESSION_MAX_TASKS tasks (`task_limit`)",
    }),
  },
});

export const listTasksRoute = createRoute({
  method: "get",
  path: "/sessions/{id}/tasks",
  tags,
  summary: "Tasks in position order, optionally of one status",
  security: BEARER,
  request: { params: SessionIdParam, query: ListTasksQuery },
  responses: {
    200: { description: "All matching tasks", content: jsonContent(TaskList) },
    ...sessionErrors([401, 404, 422]),
  },
});

export const patchTaskRoute = createRoute({
  method: "patch",
  path: "/sessions/{id}/tasks/{taskId}",
  tags,
  summary: "Change a task's title, status or position (owner or editor)",
  security: BEARER,
  request: { params: TaskParams, body: { content: jsonContent(PatchTaskBody), required: true } },
  responses: {
    200: { description: "The updated task", content: jsonContent(TaskEnvelope) },
    ...sessionErrors([400, 401, 403, 404, 413, 415, 422], { 404: TASK_404 }),
  },
});

export const deleteTaskRoute = createRoute({
  method: "delete",
  path: "/sessions/{id}/tasks/{taskId}",
  tags,
  summary: "Delete a task (owner or editor)",
  security: BEARER,
  request: { params: TaskParams },
  responses: {
    204: { description: "Deleted" },
    ...sessionErrors([401, 403, 404], { 404: TASK_404 }),
  },
});
