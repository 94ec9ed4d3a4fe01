// The workers.dev preflight: an account without a subdomain stops the deploy, or gets the one it was told to register.
import { describe, expect, it } from "vitest";
import { CloudflareApiError, type CloudflareClient } from "../../../infra/delivery/cloudflare-api.ts";
import { ensureWorkersDevSubdomain, MissingSubdomainError } from "../../../infra/workers-subdomain.ts";

function account(subdomain: string | undefined, failure?: CloudflareApiError) {
  const calls: string[] = [];
  const client: CloudflareClient = {
    account: "/accounts/abc",
    async request(method, path, body) {
      calls.push(`${method} ${path} ${JSON.stringify(body ?? null)}`);
      if (failure) throw failure;
      if (method === "PUT") {
        subdomain = (body as { subdomain: string }).subdomain;
        return { subdomain };
      }
      if (!subdomain) throw new CloudflareApiError("subdomain_required", 404, [10063]);
      return { subdomain };
    },
  };
  return { client, calls };
}

describe("ensureWorkersDevSubdomain", () => {
  it("returns the account's subdomain", async () => {
    const { client, calls } = account("acme");
    expect(await ensureWorkersDevSubdomain(client, {}, () => {})).toBe("acme");
    expect(calls).toEqual(["GET /accounts/abc/workers/subdomain null"]);
  });

  it("stops before anything is created on an account without one, naming the dashboard step", async () => {
    const { client, calls } = account(undefined);
    const refusal = ensureWorkersDevSubdomain(client, {}, () => {});
    await expect(refusal).rejects.toBeInstanceOf(MissingSubdomainError);
    await expect(refusal).rejects.toThrow(/open "Workers & Pages" once/);
    expect(calls).toHaveLength(1);
  });

  it("registers the subdomain WORKERS_DEV_SUBDOMAIN names, after checking it is a DNS label", async () => {
    const { client, calls } = account(undefined);
    const logged: string[] = [];
    await expect(ensureWorkersDevSubdomain(client, { WORKERS_DEV_SUBDOMAIN: "Acme Team" }, () => {})).rejects.toThrow(
      /not a valid subdomain/,
    );
    expect(await ensureWorkersDevSubdomain(client, { WORKERS_DEV_SUBDOMAIN: "acme-team" }, (l) => logged.push(l))).toBe(
      "acme-team",
    );
    expect(calls.at(-1)).toBe('PUT /accounts/abc/workers/subdomain {"subdomain":"acme-team"}');
    expect(logged).toEqual(["Registered the account's workers.dev subdomain: acme-team.workers.dev"]);
  });

  it("passes any other failure through unchanged", async () => {
    const { client } = account("acme", new CloudflareApiError("Authentication error", 403, [10000]));
    await expect(ensureWorkersDevSubdomain(client, {}, () => {})).rejects.toThrow("Authentication error");
  });
});
