// Hono's environment for this Worker: bindings from infra, per-request variables typed once.
import type { Env } from "../env.ts";

export interface AppEnv {
  Bindings: Env;
}
