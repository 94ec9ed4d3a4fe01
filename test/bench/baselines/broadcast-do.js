// Baseline 3: a bare hibernating-WebSocket Durable Object broadcast. `GET /ws` joins the room
// (accepted with the hibernation API); `POST /broadcast {content}` sends one JSON frame to every
// socket. Same frame shape as the API's `message.created`, nothing stored, no auth.
import { DurableObject } from "cloudflare:workers";

export class BroadcastDO extends DurableObject {
  seq = 0;

  fetch() {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  broadcast(content) {
    this.seq += 1;
    const frame = JSON.stringify({ v: 1, type: "message.created", message: { seq: this.seq, content } });
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(frame);
      } catch {
        // a socket closing mid-broadcast is the client's loss, not the sender's
      }
    }
    return { seq: this.seq };
  }

  webSocketMessage() {}

  webSocketClose(socket) {
    try {
      socket.close(1000, "bye");
    } catch {
      // already closed by the runtime
    }
  }
}

export default {
  async fetch(request, env) {
    const room = env.ROOM.get(env.ROOM.idFromName("bench"));
    const { pathname } = new URL(request.url);
    if (pathname === "/ws") return room.fetch(request);
    if (pathname === "/broadcast" && request.method === "POST") {
      const { content } = await request.json();
      return Response.json(await room.broadcast(String(content)), { status: 201 });
    }
    return new Response("not found", { status: 404 });
  },
};
