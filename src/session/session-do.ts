// SessionDO: one SQLite-backed Durable Object per session (the store and RPC surface grow here).
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";

export class SessionDO extends DurableObject<Env> {}
