// The Worker's bindings, derived from the alchemy program: never written by hand.
import type { worker } from "../../alchemy.run.ts";

export type Env = typeof worker.Env;

declare global {
  namespace Cloudflare {
    // `env` from "cloudflare:workers" (used by tests and the Durable Object) gets the same type.
    interface Env extends Readonly<typeof worker.Env> {}
  }
}
