// Who is calling: the user and the credential they presented, typed once on Hono's context.
import type { CredentialKind } from "./tokens.ts";

/** What routes see as `c.var.user`. */
export interface AuthUser {
  id: string;
  email: string;
  name: string | null;
}

export interface PresentedCredential {
  /** `idp` for a JWT from the configured identity provider (no row in `credentials`). */
  kind: CredentialKind | "idp";
  /** The `credentials` row, or null for an identity-provider token. */
  id: string | null;
  /** SHA-256 of the bearer token: the cache key, never the token itself. */
  hash: string;
}

export interface Principal {
  user: AuthUser;
  credential: PresentedCredential;
  /** Epoch ms after which the token is refused, or null when it never expires. */
  expiresAt: number | null;
}

declare module "hono" {
  interface ContextVariableMap {
    user: AuthUser;
    credential: PresentedCredential;
    /** When the presented credential stops working (epoch ms), or null: open sockets close then too. */
    credentialExpiresAt: number | null;
  }
}
