// Route definitions for a session's tasks.
import { createRoute } from "@hono/zod-openapi";
import { AUTHENTICATED, errorResponses, JSON_BODY } from "../../http/error-schema.ts";
import { BEARER, jsonContent } from "../../http/openapi.ts";
import { SESSION_ACCESS, SESSION_OBJECT } from "./error-responses.ts";
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

export const createTaskRoute = createRoute({
  method: "post",
  path: "/sessions/{id}/tasks",
  operationId: "createTask",
  tags,
  summary: "Add a task (owner or editor)",
  security: BEARER,
  request: { params: SessionIdParam, body: { content: jsonContent(CreateTaskBody), required: true } },
  responses: {
    201: { description: "Created", content: jsonContent(TaskEnvelope) },
    ...errorResponses(...AUTHENTICATED, ...JSON_BODY, ...SESSION_ACCESS, ...SESSION_OBJECT, "task_limit"),
  },
});

export const listTasksRoute = createRoute({
  method: "get",
  path: "/sessions/{id}/tasks",
  operationId: "listTasks",
  tags,
  summary: "Tasks in position order, optionally of one status",
  security: BEARER,
  request: { params: SessionIdParam, query: ListTasksQuery },
  responses: {
    200: { description: "All matching tasks", content: jsonContent(TaskList) },
    ...errorResponses(...AUTHENTICATED, ...SESSION_ACCESS, ...SESSION_OBJECT, "validation_failed"),
  },
});

export const patchTaskRoute = createRoute({
  method: "patch",
  path: "/sessions/{id}/tasks/{taskId}",
  operationId: "updateTask",
  tags,
  summary: "Change a task's title, status or position (owner or editor)",
  security: BEARER,
  request: { params: TaskParams, body: { content: jsonContent(PatchTaskBody), required: true } },
  responses: {
    200: { description: "The updated task", content: jsonContent(TaskEnvelope) },
    ...errorResponses(...AUTHENTICATED, ...JSON_BODY, ...SESSION_ACCESS, ...SESSION_OBJECT, "task_not_found"),
  },
});

export const deleteTaskRoute = createRoute({
  method: "delete",
  path: "/sessions/{id}/tasks/{taskId}",
  operationId: "deleteTask",
  tags,
  summary: "Delete a task (owner or editor)",
  security: BEARER,
  request: { params: TaskParams },
  responses: {
    204: { description: "Deleted" },
    ...errorResponses(...AUTHENTICATED, ...SESSION_ACCESS, ...SESSION_OBJECT, "task_not_found", "validation_failed"),
  },
});
