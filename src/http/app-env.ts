// Hono's environment for this Worker: bindings from infra, per-request variables typed once.
import type { Env } from "../config/env.ts";

/**
 * What a feature lower in the layering announces and a higher one acts on: auth revokes
 * credentials, the sessions feature closes the sockets opened with them. createApp() wires it, so
 * auth never imports the sessions feature.
 */
export type CredentialsEnded = (env: Env, userId: string, credentialIds: readonly string[]) => Promise<void>;

export interface AppEnv {
  Bindings: Env;
  Variables: { credentialsEnded: CredentialsEnded };
}
