// The account's workers.dev subdomain, checked before a deploy creates anything: alchemy 0.94 only reads it.
import { CloudflareApiError, type CloudflareClient } from "./vendors/cloudflare-api.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** Set it to register the subdomain from the deploy (it is account-wide and shows in every Worker's URL). */
export const SUBDOMAIN_VARIABLE = "WORKERS_DEV_SUBDOMAIN";
/** What Cloudflare answers for an account that never opened Workers (10063, "subdomain_required"; wrangler also reads 10007). */
const NO_SUBDOMAIN_CODES = [10063, 10007];
/** One DNS label: what Cloudflare accepts as a workers.dev subdomain. */
const SUBDOMAIN_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export class MissingSubdomainError extends Error {
  override name = "MissingSubdomainError";
}

/** The account's workers.dev subdomain, or undefined for an account that never opened Workers. */
export async function readWorkersDevSubdomain(cloudflare: CloudflareClient): Promise<string | undefined> {
  const current = await readSubdomain(cloudflare).then(
    (result) => result.subdomain,
    (error: unknown) => {
      if (error instanceof CloudflareApiError && error.codes.some((code) => NO_SUBDOMAIN_CODES.includes(code))) {
        return undefined;
      }
      throw error;
    },
  );
  return typeof current === "string" && current ? current : undefined;
}

/** `GET …/workers/subdomain`, refusals included (an account without one is refused with 10063). */
export function readSubdomain(cloudflare: CloudflareClient): Promise<{ subdomain: string }> {
  return cloudflare.call("GET workers/subdomain", (api) =>
    api.workers.subdomains.get({ account_id: cloudflare.accountId }),
  );
}

/**
 * Returns the account's subdomain. An account without one gets it registered when WORKERS_DEV_SUBDOMAIN names it;
 * otherwise the deploy stops here, before any resource exists, naming the one dashboard step.
 */
export async function ensureWorkersDevSubdomain(
  cloudflare: CloudflareClient,
  env: Env,
  log: (line: string) => void,
): Promise<string> {
  const current = await readWorkersDevSubdomain(cloudflare);
  if (current) return current;

  const wanted = env[SUBDOMAIN_VARIABLE];
  if (!wanted) {
    throw new MissingSubdomainError(
      [
        "This Cloudflare account has no workers.dev subdomain yet (Cloudflare error 10063), so the stage's Worker could",
        "have no URL. Nothing was created. Do one of these, then deploy again:",
        '  - in the Cloudflare dashboard, open "Workers & Pages" once and choose the account\'s workers.dev subdomain;',
        `  - or set ${SUBDOMAIN_VARIABLE}=<name> for this deploy to register <name>.workers.dev from here.`,
      ].join("\n"),
    );
  }
  if (!SUBDOMAIN_PATTERN.test(wanted)) {
    throw new MissingSubdomainError(
      `${SUBDOMAIN_VARIABLE}="${wanted}" is not a valid subdomain: lowercase letters, digits and inner dashes, at most 63.`,
    );
  }
  const registered = await cloudflare.call("PUT workers/subdomain", (api) =>
    api.workers.subdomains.update({ account_id: cloudflare.accountId, subdomain: wanted }),
  );
  const subdomain = registered.subdomain || wanted;
  log(`Registered the account's workers.dev subdomain: ${subdomain}.workers.dev`);
  return subdomain;
}
