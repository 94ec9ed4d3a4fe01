// `npm run setup`'s Cloudflare checks: the token, what it can read on the account, workers.dev and the quotas.
// Read-only: nothing here writes to the account, so Edit permissions are named but cannot be proven.

import { CloudflareApiError, type CloudflareClient, listDatabases, listWorkers } from "../vendors/cloudflare-api.ts";
import { readWorkersDevSubdomain, SUBDOMAIN_VARIABLE } from "../workers-subdomain.ts";
import { type Plan, previewRoom } from "./setup-quota.ts";
import { fail, ok, type SetupCheck, warn } from "./setup-report.ts";

const TOKEN_HINT =
  "create a token as docs/deploying.md says (Account · Workers Scripts · Edit and Account · D1 · Edit on this account) and set CLOUDFLARE_API_TOKEN to it";
/** A token that expires this soon gets a warning: every deploy and the nightly sweep would stop with it. */
const EXPIRY_WARNING_DAYS = 30;

function reason(error: unknown): string {
  if (error instanceof CloudflareApiError) {
    return `Cloudflare answered ${error.status}${error.codes.length ? ` (code ${error.codes.join(", ")})` : ""}`;
  }
  return (error as Error).message;
}

interface VerifiedToken {
  status?: string;
  expires_on?: string;
}

/** GET /user/tokens/verify, then the account-owned token's /accounts/{id}/tokens/verify. */
async function verifyToken(
  client: CloudflareClient,
): Promise<{ owner: string; result: VerifiedToken } | { error: unknown }> {
  try {
    return {
      owner: "user token",
      result: await client.call("GET user/tokens/verify", (api) => api.user.tokens.verify()),
    };
  } catch (userError) {
    if (!(userError instanceof CloudflareApiError)) return { error: userError };
    try {
      const result = await client.call("GET accounts/tokens/verify", (api) =>
        api.accounts.tokens.verify({ account_id: client.accountId }),
      );
      return { owner: "account token", result };
    } catch {
      return { error: userError };
    }
  }
}

async function tokenCheck(client: CloudflareClient, now: Date): Promise<SetupCheck> {
  const title = "Cloudflare token";
  const verified = await verifyToken(client);
  if ("error" in verified && !(verified.error instanceof CloudflareApiError)) {
    const fix = "check the network, and unset CLOUDFLARE_BASE_URL unless it points at a Cloudflare API you meant";
    return fail(title, `not checked: ${reason(verified.error)}`, fix);
  }
  if ("error" in verified) {
    return fail(title, `refused by the token-verify endpoint: ${reason(verified.error)}`, TOKEN_HINT);
  }
  const status = verified.result?.status;
  if (status !== "active") {
    return fail(title, `the ${verified.owner} is ${status ?? "in an unknown state"}, not active`, TOKEN_HINT);
  }
  const expires = verified.result?.expires_on;
  const daysLeft = expires ? (Date.parse(expires) - now.getTime()) / 86_400_000 : Number.POSITIVE_INFINITY;
  if (daysLeft < EXPIRY_WARNING_DAYS) {
    return warn(
      title,
      `active ${verified.owner}, but it expires on ${expires}`,
      "roll the token (or create one without expiry) and update CLOUDFLARE_API_TOKEN wherever it is stored",
    );
  }
  return ok(title, `active ${verified.owner}`);
}

type Listing = { names: string[] } | { error: unknown };

async function listNames(request: Promise<{ name?: string; id?: string }[]>, key: "id" | "name"): Promise<Listing> {
  try {
    return { names: (await request).map((item) => item[key] ?? "") };
  } catch (error) {
    return { error };
  }
}

function permissionCheck(title: string, listing: Listing, noun: string, permission: string): SetupCheck {
  if ("error" in listing) {
    return fail(
      title,
      `cannot list the account's ${noun}: ${reason(listing.error)}`,
      `give the token Account · ${permission} · Edit on the account in CLOUDFLARE_ACCOUNT_ID (and check that id)`,
    );
  }
  return ok(
    title,
    `the token lists the account's ${listing.names.length} ${noun}; Edit cannot be proven without writing (the first deploy does)`,
  );
}

async function subdomainCheck(client: CloudflareClient, env: Readonly<Record<string, string | undefined>>) {
  const title = "workers.dev subdomain";
  try {
    const subdomain = await readWorkersDevSubdomain(client);
    if (subdomain) return ok(title, `${subdomain}.workers.dev`);
  } catch (error) {
    return fail(title, `cannot read it: ${reason(error)}`, "give the token Account · Workers Scripts · Edit");
  }
  if (env[SUBDOMAIN_VARIABLE]) {
    return warn(
      title,
      `none yet; the next deploy registers ${env[SUBDOMAIN_VARIABLE]}.workers.dev (${SUBDOMAIN_VARIABLE})`,
      `keep ${SUBDOMAIN_VARIABLE} set for the first deploy, or choose the subdomain in the dashboard`,
    );
  }
  return fail(
    title,
    "this account has none (Cloudflare error 10063), so no stage could get a URL",
    `in the Cloudflare dashboard open "Workers & Pages" once and choose the subdomain, or set ${SUBDOMAIN_VARIABLE}=<name> for the first deploy`,
  );
}

function quotaCheck(workers: Listing, databases: Listing, plan: Plan, wanted: number): SetupCheck {
  const title = "Room for previews";
  if ("error" in workers || "error" in databases) {
    return warn(title, "not counted: the listings above failed", "fix the permissions above and run it again");
  }
  const room = previewRoom({ workers: workers.names, databases: databases.names, plan });
  const reserved = room.reserved.length ? `, after setting aside room for ${room.reserved.join(" and ")}` : "";
  const freeUp =
    "destroy stages you no longer need (npm run destroy -- --stage NAME; npm run sweep removes previews of deleted branches) or move to Workers Paid (then run with -- --plan paid)";
  if (room.previews <= 0) {
    return fail(
      title,
      `no preview stage fits: ${room.usage}${reserved}; each stage takes 1 Worker + 1 D1 database`,
      freeUp,
    );
  }
  if (room.previews < wanted) {
    return warn(
      title,
      `only ${room.previews} more preview stage(s) fit, fewer than ${wanted}: ${room.usage}${reserved}`,
      freeUp,
    );
  }
  return ok(title, `${room.previews} more preview stages fit: ${room.usage}${reserved}`);
}

export async function cloudflareChecks(input: {
  client: CloudflareClient;
  env: Readonly<Record<string, string | undefined>>;
  plan: Plan;
  wantedPreviews: number;
  now: Date;
}): Promise<SetupCheck[]> {
  const { client } = input;
  const token = await tokenCheck(client, input.now);
  if (token.verdict === "fail") {
    return [token, warn("Cloudflare account", "not checked: the token check failed", "fix the token line first")];
  }
  const [workers, databases] = await Promise.all([
    listNames(listWorkers(client), "id"),
    listNames(listDatabases(client), "name"),
  ]);
  return [
    token,
    permissionCheck("Workers Scripts permission", workers, "Workers", "Workers Scripts"),
    permissionCheck("D1 permission", databases, "D1 databases", "D1"),
    await subdomainCheck(client, input.env),
    quotaCheck(workers, databases, input.plan, input.wantedPreviews),
  ];
}
