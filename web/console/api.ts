// The console's REST calls: same-origin fetch with the bearer token; a refusal becomes an ApiError
// carrying the API's own `{ error: { code, message } }`, which the UI shows as is.
import type { Auth, GrantableRole, Member, Message, Page, Session, SessionSummary, Task, User } from "./model.ts";

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

export async function request<T>(method: Method, path: string, token?: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  // A retried post must not duplicate the message: the API replays the first answer for a known key.
  if (method === "POST" && path.endsWith("/messages")) headers["idempotency-key"] = crypto.randomUUID();
  let res: Response;
  try {
    res = await fetch(`/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "network_error", "The API could not be reached. Check your connection and try again.");
  }
  if (res.status === 204) return undefined as T;
  const payload = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) {
    throw new ApiError(res.status, payload?.error?.code ?? "http_error", payload?.error?.message ?? res.statusText);
  }
  return payload as T;
}

const sessionPath = (id: string) => `/sessions/${encodeURIComponent(id)}`;

/** Every call the console makes, bound to one token. */
export function apiFor(token: string) {
  return {
    me: () => request<{ user: User }>("GET", "/me", token),
    logout: () => request<void>("POST", "/auth/logout", token),
    listSessions: (cursor?: string) =>
      request<Page<SessionSummary>>(
        "GET",
        `/sessions?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        token,
      ),
    createSession: (title: string) => request<{ session: Session }>("POST", "/sessions", token, { title }),
    getSession: (id: string) => request<{ session: Session }>("GET", sessionPath(id), token),
    renameSession: (id: string, title: string) =>
      request<{ session: Session }>("PATCH", sessionPath(id), token, { title }),
    deleteSession: (id: string) => request<void>("DELETE", sessionPath(id), token),
    latestMessages: (id: string) =>
      request<Page<Message>>("GET", `${sessionPath(id)}/messages?latest=true&limit=50`, token),
    olderMessages: (id: string, cursor: string) =>
      request<Page<Message>>("GET", `${sessionPath(id)}/messages?limit=50&cursor=${encodeURIComponent(cursor)}`, token),
    postMessage: (id: string, content: string) =>
      request<{ message: Message }>("POST", `${sessionPath(id)}/messages`, token, { content }),
    listTasks: (id: string) => request<Page<Task>>("GET", `${sessionPath(id)}/tasks`, token),
    createTask: (id: string, title: string) =>
      request<{ task: Task }>("POST", `${sessionPath(id)}/tasks`, token, { title }),
    setTaskStatus: (id: string, taskId: string, status: Task["status"]) =>
      request<{ task: Task }>("PATCH", `${sessionPath(id)}/tasks/${encodeURIComponent(taskId)}`, token, { status }),
    deleteTask: (id: string, taskId: string) =>
      request<void>("DELETE", `${sessionPath(id)}/tasks/${encodeURIComponent(taskId)}`, token),
    listMembers: (id: string) => request<Page<Member>>("GET", `${sessionPath(id)}/members`, token),
    addMember: (id: string, email: string, role: GrantableRole) =>
      request<{ member: Member }>("POST", `${sessionPath(id)}/members`, token, { email, role }),
    removeMember: (id: string, userId: string) =>
      request<void>("DELETE", `${sessionPath(id)}/members/${encodeURIComponent(userId)}`, token),
  };
}

export type Api = ReturnType<typeof apiFor>;

export const signUp = (email: string, password: string, name?: string) =>
  request<Auth>("POST", "/auth/signup", undefined, { email, password, ...(name ? { name } : {}) });
export const signIn = (email: string, password: string) =>
  request<Auth>("POST", "/auth/login", undefined, { email, password });

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
