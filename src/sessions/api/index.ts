// The session routes: one router with every /v1/sessions route, mounted by createApp().
import { createRouter } from "../../http/router.ts";
import { addMember, changeMemberRole, listMembersHandler, removeMember } from "./members.handlers.ts";
import { addMemberRoute, changeMemberRoleRoute, listMembersRoute, removeMemberRoute } from "./members.routes.ts";
import { appendMessage, listMessages } from "./messages.handlers.ts";
import { appendMessageRoute, listMessagesRoute } from "./messages.routes.ts";
import {
  createSession,
  deleteSession,
  exportSession,
  getSession,
  listSessions,
  patchSession,
} from "./sessions.handlers.ts";
import {
  createSessionRoute,
  deleteSessionRoute,
  exportSessionRoute,
  getSessionRoute,
  listSessionsRoute,
  patchSessionRoute,
} from "./sessions.routes.ts";
import { createTask, deleteTask, listTasks, patchTask } from "./tasks.handlers.ts";
import { createTaskRoute, deleteTaskRoute, listTasksRoute, patchTaskRoute } from "./tasks.routes.ts";

export const sessionRoutes = createRouter()
  .openapi(createSessionRoute, createSession)
  .openapi(listSessionsRoute, listSessions)
  .openapi(getSessionRoute, getSession)
  .openapi(patchSessionRoute, patchSession)
  .openapi(deleteSessionRoute, deleteSession)
  .openapi(exportSessionRoute, exportSession)
  .openapi(appendMessageRoute, appendMessage)
  .openapi(listMessagesRoute, listMessages)
  .openapi(createTaskRoute, createTask)
  .openapi(listTasksRoute, listTasks)
  .openapi(patchTaskRoute, patchTask)
  .openapi(deleteTaskRoute, deleteTask)
  .openapi(addMemberRoute, addMember)
  .openapi(listMembersRoute, listMembersHandler)
  .openapi(changeMemberRoleRoute, changeMemberRole)
  .openapi(removeMemberRoute, removeMember);
