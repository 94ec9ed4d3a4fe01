// The two fan-out targets: the bare broadcast baseline, and the API (ticketed sockets on a session,
// messages appended through the authenticated route).
import { type Account, appendMessage, createSession, socketUrl } from "../api.ts";
import type { FanoutTarget } from "../fanout.ts";

export function broadcastBaseline(base: string): FanoutTarget {
  const ws = new URL("/ws", base);
  ws.protocol = "ws:";
  return {
    socketUrl: async () => ws.href,
    send: async (content) => {
      const response = await fetch(`${base}/broadcast`, { method: "POST", body: JSON.stringify({ content }) });
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`broadcast: HTTP ${response.status}`);
    },
  };
}

export async function apiSession(account: Account): Promise<FanoutTarget> {
  const sessionId = await createSession(account, "bench fan-out");
  return {
    socketUrl: () => socketUrl(account, sessionId),
    send: async (content) => {
      await appendMessage(account, sessionId, content);
    },
  };
}
