// Baseline 2: a bare SQLite Durable Object insert through RPC. The Worker parses the same JSON body
// the append route receives, calls one object, which runs one `INSERT … RETURNING`: no auth, no
// validation, no framework. This is the ceiling for "append a message to one session".
// `?object=NAME` addresses another object (default "bench"): a new name measures a first write.
import { DurableObject } from "cloudflare:workers";

export class InsertDO extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, content TEXT NOT NULL, created_at INTEGER NOT NULL)",
    );
  }

  insert(content) {
    return this.ctx.storage.sql
      .exec("INSERT INTO messages (content, created_at) VALUES (?, ?) RETURNING seq, created_at", content, Date.now())
      .one();
  }
}

export default {
  async fetch(request, env) {
    // Parsed only when asked, so the steady-state baseline stays as bare as it was.
    const name = request.url.includes("?") ? (new URL(request.url).searchParams.get("object") ?? "bench") : "bench";
    const { content } = await request.json();
    const row = await env.INSERT.get(env.INSERT.idFromName(name)).insert(String(content));
    return Response.json({ message: row }, { status: 201 });
  },
};
