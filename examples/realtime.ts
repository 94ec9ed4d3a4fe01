// Example: a session's live events through the typed SessionSocket: connect, post over HTTP, watch it arrive.
// Run against `npm run dev`: `npx node examples/realtime.ts` (API=http://localhost:PORT if not 1337).
import { SessionSocket } from "../src/client/index.ts";

const baseUrl = process.env.API ?? "http://localhost:1337";

async function post<T>(path: string, body: object, token?: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const { token } = await post<{ token: string }>("/v1/auth/signup", {
  email: `grace-${crypto.randomUUID()}@example.com`,
  password: "correct horse battery",
});
const { session } = await post<{ session: { id: string } }>("/v1/sessions", { title: "Live" }, token);

// The socket gets its own single-use ticket with the token, then reconnects and resumes by itself.
const socket = new SessionSocket({ baseUrl, sessionId: session.id, token });
const arrived = new Promise<void>((resolve) => {
  socket.on("message.created", ({ message }) => {
    console.log("live", message.seq, message.content);
    resolve();
  });
});
const opened = new Promise<void>((resolve) => socket.onStatus((status) => status === "open" && resolve()));
socket.onEnd((end) => console.log("ended", end.code, end.reason));
await socket.connect();
await opened;
console.log("connected to", session.id);

await post(`/v1/sessions/${session.id}/messages`, { content: "Hello, live" }, token);
await arrived;
socket.close();
