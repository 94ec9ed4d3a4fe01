// One open session's live state: the snapshot over REST, then SessionSocket's frames (resuming after
// a drop from the last seq it saw), with the connection state the header shows.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { SessionSocket, SessionSocketError } from "../../src/client/session-socket.ts";
import { type Api, errorMessage } from "./api.ts";
import { mergeMessages, newestSeq } from "./message-order.ts";
import type { Message, Role, Session, Task } from "./model.ts";

export type Connection =
  | { state: "loading" }
  | { state: "connecting" }
  | { state: "live" }
  | { state: "reconnecting" }
  | { state: "offline" }
  | { state: "ended"; reason: string };

export interface LiveSession {
  session: Session | undefined;
  role: Role | undefined;
  messages: Message[];
  tasks: Task[];
  connection: Connection;
  /** Older history exists (the API's cursor); loadOlder fetches the next page back. */
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder: () => Promise<void>;
  /** A REST answer (post, task change) applied at once; the frame for it is deduplicated later. */
  applyMessage: (message: Message) => void;
  applyTask: (task: Task) => void;
  removeTask: (taskId: string) => void;
  error: string | undefined;
}

/** After a network failure before the first connection, try again this soon. */
const RETRY_MS = 2_000;

const upsert = (tasks: Task[], task: Task) =>
  (tasks.some((t) => t.id === task.id) ? tasks.map((t) => (t.id === task.id ? task : t)) : [...tasks, task]).sort(
    (a, b) => a.position - b.position,
  );

export function useLiveSession(api: Api, token: string, sessionId: string): LiveSession {
  const [session, setSession] = useState<Session>();
  const [role, setRole] = useState<Role>();
  const [messages, setMessages] = useState<Message[]>([]);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [connection, setConnection] = useState<Connection>({ state: "loading" });
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<string>();
  const cursorRef = useRef<string | null>(null);
  cursorRef.current = cursor;

  useEffect(() => {
    let socket: SessionSocket | undefined;
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    setMessages([]);
    setTasks([]);
    setError(undefined);
    setConnection({ state: "loading" });

    const connect = (since: number) => {
      const next = new SessionSocket({ baseUrl: location.origin, sessionId, token, since });
      socket = next;
      next.on("message.created", (frame) => setMessages((current) => mergeMessages(current, [frame.message])));
      next.on("task.created", (frame) => setTasks((current) => upsert(current, frame.task)));
      next.on("task.updated", (frame) => setTasks((current) => upsert(current, frame.task)));
      next.on("task.deleted", (frame) => setTasks((current) => current.filter((t) => t.id !== frame.taskId)));
      next.on("session.updated", (frame) => setSession((current) => current && { ...current, ...frame.session }));
      next.on("access.changed", (frame) => setRole(frame.role));
      next.onStatus((status) => {
        if (socket !== next) return;
        if (status === "open") setConnection({ state: "live" });
        else
          setConnection((now) => (now.state === "ended" || now.state === "offline" ? now : { state: "reconnecting" }));
      });
      next.onEnd((end) => setConnection({ state: "ended", reason: end.error?.message ?? end.reason }));
      next.connect().catch((failure: unknown) => {
        if (cancelled || socket !== next) return;
        // The first ticket request failed: a refusal ends it; a network failure is retried.
        if (failure instanceof SessionSocketError) setConnection({ state: "ended", reason: failure.message });
        else retry = setTimeout(() => connect(since), RETRY_MS);
      });
    };

    // An established WebSocket can outlive the network (Chromium keeps it "open" while offline, and a
    // heartbeat notices only later): follow the browser's own signal, and resume from the last seq seen.
    const goOffline = () => {
      clearTimeout(retry);
      socket?.close();
      setConnection({ state: "offline" });
    };
    const goOnline = () => {
      if (cancelled || !socket) return;
      const since = socket.lastSeq ?? 0;
      setConnection({ state: "reconnecting" });
      connect(since);
    };

    (async () => {
      const [{ session }, page, taskPage] = await Promise.all([
        api.getSession(sessionId),
        api.latestMessages(sessionId),
        api.listTasks(sessionId),
      ]);
      if (cancelled) return;
      setSession(session);
      setRole(session.role);
      setMessages(page.items);
      setCursor(page.nextCursor);
      setTasks(taskPage.items);
      setConnection({ state: "connecting" });
      connect(newestSeq(page.items));
      window.addEventListener("offline", goOffline);
      window.addEventListener("online", goOnline);
    })().catch((failure: unknown) => {
      if (cancelled) return;
      setError(errorMessage(failure));
      setConnection({ state: "ended", reason: errorMessage(failure) });
    });
    return () => {
      cancelled = true;
      clearTimeout(retry);
      window.removeEventListener("offline", goOffline);
      window.removeEventListener("online", goOnline);
      socket?.close();
    };
  }, [api, token, sessionId]);

  const loadOlder = useCallback(async () => {
    const from = cursorRef.current;
    if (!from || loadingOlder) return;
    setLoadingOlder(true);
    try {
      const page = await api.olderMessages(sessionId, from);
      setMessages((current) => mergeMessages(current, page.items));
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setLoadingOlder(false);
    }
  }, [api, sessionId, loadingOlder]);

  return {
    session,
    role,
    messages,
    tasks,
    connection,
    hasOlder: cursor !== null,
    loadingOlder,
    loadOlder,
    applyMessage: (message) => setMessages((current) => mergeMessages(current, [message])),
    applyTask: (task) => setTasks((current) => upsert(current, task)),
    removeTask: (taskId) => setTasks((current) => current.filter((t) => t.id !== taskId)),
    error,
  };
}
