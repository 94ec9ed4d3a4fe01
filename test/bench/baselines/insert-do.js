// Baseline 2: a bare SQLite Durable Object insert through RPC. The Worker parses the same JSON body
// the append route receives, calls one object, which runs one `INSERT … RETURNING`: no auth, no
// validation, no framework. This is the ceiling for "append a message to one session".
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
    const { content } = await request.json();
    const row = await env.INSERT.get(env.INSERT.idFromName("bench")).insert(String(content));
    return Response.json({ message: row }, { status: 201 });
  },
};
