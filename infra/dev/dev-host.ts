// Where `npm run dev` listens: loopback unless DEV_HOST asks otherwise. Pure; read once by alchemy.run.ts.
import { isIP } from "node:net";

export const DEFAULT_DEV_HOST = "127.0.0.1";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

export interface DevHost {
  /** The address the dev server binds. */
  host: string;
  /** The URL host to announce (`localhost` for loopback and wildcard binds, so links just work). */
  announce: string;
  /** Whether other machines can reach it: worth a warning, since dev has no deploy-time guards. */
  exposed: boolean;
}

/** DEV_HOST: an IP address or `localhost`. Anything else is a mistake worth a loud failure. */
export function devHost(env: Record<string, string | undefined>): DevHost {
  const requested = env.DEV_HOST?.trim() || DEFAULT_DEV_HOST;
  if (requested !== "localhost" && isIP(requested) === 0) {
    throw new Error(
      `DEV_HOST must be an IP address (e.g. 0.0.0.0 for every interface) or localhost; got "${requested}".`,
    );
  }
  const host = requested === "localhost" ? DEFAULT_DEV_HOST : requested;
  const wildcard = host === "0.0.0.0" || host === "::";
  const loopback = LOOPBACK.has(host) || host.startsWith("127.");
  return {
    host,
    announce: loopback || wildcard ? "localhost" : host.includes(":") ? `[${host}]` : host,
    exposed: !loopback,
  };
}
