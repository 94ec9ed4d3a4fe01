// A typed real-time client for one session, for browsers and Node (>= 22, or any WebSocket you pass):
// gets a single-use ticket, connects, and after a drop resumes from the last seq it saw, with backoff.
// A final close (a refused upgrade, revoked access, a deleted session) ends it, with the reason.
import {
  CLOSE_CODES,
  type ClientCommand,
  isTerminalClose,
  PING_FRAME,
  PROTOCOL_VERSION,
  parseServerFrame,
  refusalCloseCode,
  type ServerFrame,
  type ServerFrameOf,
  type ServerFrameType,
} from "../sessions/protocol.ts";

type WebSocketLike = Pick<WebSocket, "send" | "close" | "readyState"> & {
  addEventListener(type: "open" | "message" | "close" | "error", listener: (event: never) => void): void;
};

export interface SessionSocketOptions {
  /** The API's base URL, e.g. https://api.example.com or http://localhost:1337. */
  baseUrl: string;
  sessionId: string;
  /** A bearer token (session token or API key) used to get each connection's ticket. */
  token: string;
  /** Resume after this seq on the first connection (default: live events only). */
  since?: number;
  /** Reconnect backoff: first delay and cap, in ms (jittered). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Heartbeat interval in ms (0 disables). The server answers without waking the session. */
  heartbeatMs?: number;
  fetch?: typeof fetch;
  WebSocket?: new (url: string) => WebSocketLike;
}

type Listener<T extends ServerFrameType> = (frame: ServerFrameOf<T>) => void;
type AnyListener = (frame: ServerFrame) => void;
type StatusListener = (status: "connecting" | "open" | "closed", detail?: { code?: number; reason?: string }) => void;

/**
 * Why the client stopped for good: the close code (protocol.ts, CLOSE_CODES; a failed ticket request
 * maps to the same 4000 + status), its reason, and the server's `error` frame when it sent one.
 */
export interface SessionSocketEnd {
  code: number;
  reason: string;
  error?: { code: string; message: string };
}
type EndListener = (end: SessionSocketEnd) => void;

export class SessionSocket {
  #options: Required<Omit<SessionSocketOptions, "since" | "backoff">> & {
    backoff: { initialMs: number; maxMs: number };
  };
  #socket?: WebSocketLike;
  #listeners = new Map<ServerFrameType, Set<AnyListener>>();
  #statusListeners = new Set<StatusListener>();
  #endListeners = new Set<EndListener>();
  #ended: SessionSocketEnd | undefined;
  /** The last `error` frame of the current connection: a refusal's code arrives just before its close. */
  #lastError: { code: string; message: string } | undefined;
  #lastSeq: number | undefined;
  #attempt = 0;
  #stopped = false;
  #heartbeat?: ReturnType<typeof setInterval>;
  #retryTimer?: ReturnType<typeof setTimeout>;

  constructor(options: SessionSocketOptions) {
    this.#options = {
      baseUrl: options.baseUrl.replace(/\/+$/, ""),
      sessionId: options.sessionId,
      token: options.token,
      heartbeatMs: options.heartbeatMs ?? 30_000,
      backoff: { initialMs: options.backoff?.initialMs ?? 250, maxMs: options.backoff?.maxMs ?? 15_000 },
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
      WebSocket: options.WebSocket ?? (globalThis.WebSocket as unknown as new (url: string) => WebSocketLike),
    };
    this.#lastSeq = options.since;
  }

  /** The highest message seq delivered so far (the resume point). */
  get lastSeq(): number | undefined {
    return this.#lastSeq;
  }

  on<T extends ServerFrameType>(type: T, listener: Listener<T>): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    // Listeners are stored by frame type, so each only ever receives frames of its own type.
    const stored = listener as unknown as AnyListener;
    set.add(stored);
    return () => set.delete(stored);
  }

  onStatus(listener: StatusListener): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** Called once when the client stops for good (not on close()): refused, revoked, deleted. */
  onEnd(listener: EndListener): () => void {
    this.#endListeners.add(listener);
    return () => this.#endListeners.delete(listener);
  }

  /** Set once the client has stopped for good; reconnecting would not help (see onEnd). */
  get ended(): SessionSocketEnd | undefined {
    return this.#ended;
  }

  /** Connects (and keeps reconnecting after drops) until close() is called. */
  async connect(): Promise<void> {
    this.#stopped = false;
    this.#ended = undefined;
    await this.#open();
  }

  send(command: ClientCommand): void {
    const socket = this.#socket;
    if (socket?.readyState !== 1) throw new Error("The socket is not open.");
    socket.send(JSON.stringify({ v: PROTOCOL_VERSION, ...command }));
  }

  close(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#stopHeartbeat();
    this.#socket?.close(CLOSE_CODES.normal, "client closed");
  }

  async #ticket(): Promise<string> {
    const { baseUrl, sessionId, token } = this.#options;
    const res = await this.#options.fetch(`${baseUrl}/v1/sessions/${encodeURIComponent(sessionId)}/ws-ticket`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      throw new SessionSocketError(
        res.status,
        body?.error?.code ?? "ticket_failed",
        body?.error?.message ?? res.statusText,
      );
    }
    return ((await res.json()) as { ticket: string }).ticket;
  }

  async #open(): Promise<void> {
    this.#emitStatus("connecting");
    const ticket = await this.#ticket();
    const url = new URL(`${this.#options.baseUrl}/v1/sessions/${encodeURIComponent(this.#options.sessionId)}/ws`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("ticket", ticket);
    if (this.#lastSeq !== undefined) url.searchParams.set("since", String(this.#lastSeq));

    const socket = new this.#options.WebSocket(url.toString());
    this.#socket = socket;
    this.#lastError = undefined;
    socket.addEventListener("open", () => this.#startHeartbeat());
    socket.addEventListener("message", (event: MessageEvent) => this.#receive(event.data));
    socket.addEventListener("close", (event: CloseEvent) => {
      this.#stopHeartbeat();
      this.#emitStatus("closed", { code: event.code, reason: event.reason });
      if (this.#stopped) return;
      if (isTerminalClose(event.code)) this.#end({ code: event.code, reason: event.reason, error: this.#lastError });
      else this.#scheduleReconnect();
    });
  }

  #end(end: SessionSocketEnd): void {
    this.#stopped = true;
    this.#ended = end;
    for (const listener of this.#endListeners) listener(end);
  }

  #receive(data: unknown): void {
    const parsed = parseServerFrame(typeof data === "string" ? data : String(data));
    if (!parsed.ok) return; // a newer server may send frames this client does not know yet
    const frame = parsed.frame;
    if (frame.type === "error") this.#lastError = { code: frame.code, message: frame.message };
    if (frame.type === "message.created") {
      // At-least-once across reconnects; exactly once to listeners.
      if (this.#lastSeq !== undefined && frame.message.seq <= this.#lastSeq) return;
      this.#lastSeq = frame.message.seq;
    } else if (frame.type === "hello") {
      // The server has accepted us (a proxy may open the transport earlier): live from here on.
      if (this.#lastSeq === undefined) this.#lastSeq = frame.lastSeq;
      this.#attempt = 0;
      this.#emitStatus("open");
    }
    for (const listener of this.#listeners.get(frame.type) ?? []) listener(frame);
  }

  #scheduleReconnect(): void {
    const { initialMs, maxMs } = this.#options.backoff;
    const delay = Math.min(maxMs, initialMs * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => {
      this.#open().catch((error: unknown) => {
        const code = error instanceof SessionSocketError ? refusalCloseCode(error.status) : undefined;
        if (error instanceof SessionSocketError && code !== undefined && isTerminalClose(code)) {
          // revoked token, removed member, deleted session: retrying cannot help
          this.#emitStatus("closed", { code, reason: error.message });
          this.#end({ code, reason: error.message, error: { code: error.code, message: error.message } });
          return;
        }
        this.#scheduleReconnect();
      });
    }, delay);
  }

  #startHeartbeat(): void {
    if (this.#options.heartbeatMs <= 0) return;
    this.#heartbeat = setInterval(() => this.#socket?.send(PING_FRAME), this.#options.heartbeatMs);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
  }

  #emitStatus(status: "connecting" | "open" | "closed", detail?: { code?: number; reason?: string }): void {
    for (const listener of this.#statusListeners) listener(status, detail);
  }
}

export class SessionSocketError extends Error {
  override name = "SessionSocketError";
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}
