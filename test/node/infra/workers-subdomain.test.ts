// The workers.dev preflight: an account without a subdomain stops the deploy, or gets the one it was told to register.
import { describe, expect, it } from "vitest";
import { cloudflareClientFromEnv } from "../../../infra/vendors/cloudflare-api.ts";
import { ensureWorkersDevSubdomain, MissingSubdomainError } from "../../../infra/workers-subdomain.ts";
import { ACCOUNT, cf, deployEnv, fakeApi } from "../delivery/fake-api.ts";

const PATH = `/client/v4/accounts/${ACCOUNT}/workers/subdomain`;
const refusal = (status: number, code: number, message: string) =>
  new Response(JSON.stringify({ success: false, errors: [{ code, message }], messages: [], result: null }), {
    status,
    headers: { "content-type": "application/json" },
  });

/** An account with (or without) a subdomain, behind Cloudflare's SDK; `failure` refuses every call. */
function account(subdomain: string | undefined, failure?: () => Response) {
  const api = fakeApi({
    [`GET ${PATH}`]: () => failure?.() ?? (subdomain ? cf({ subdomain }) : refusal(404, 10063, "subdomain_required")),
    [`PUT ${PATH}`]: (call) => {
      if (failure) return failure();
      subdomain = (call.body as { subdomain: string }).subdomain;
      return cf({ subdomain });
    },
  });
  const calls = () => api.calls.map((c) => `${c.method} ${c.url.pathname} ${JSON.stringify(c.body ?? null)}`);
  return { client: cloudflareClientFromEnv(deployEnv, api.fetch), calls };
}

describe("ensureWorkersDevSubdomain", () => {
  it("returns the account's subdomain", async () => {
    const { client, calls } = account("acme");
    expect(await ensureWorkersDevSubdomain(client, {}, () => {})).toBe("acme");
    expect(calls()).toEqual([`GET ${PATH} null`]);
  });

  it("stops before anything is created on an account without one, naming the dashboard step", async () => {
    const { client, calls } = account(undefined);
    const refusal = ensureWorkersDevSubdomain(client, {}, () => {});
    await expect(refusal).rejects.toBeInstanceOf(MissingSubdomainError);
    await expect(refusal).rejects.toThrow(/open "Workers & Pages" once/);
    expect(calls()).toHaveLength(1);
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
    expect(calls().at(-1)).toBe(`PUT ${PATH} {"subdomain":"acme-team"}`);
    expect(logged).toEqual(["Registered the account's workers.dev subdomain: acme-team.workers.dev"]);
  });

  it("passes any other failure through unchanged", async () => {
    const { client } = account("acme", () => refusal(403, 10000, "Authentication error"));
    const failure = ensureWorkersDevSubdomain(client, {}, () => {});
    await expect(failure).rejects.toThrow("Authentication error [code 10000]");
    await expect(failure).rejects.toMatchObject({ status: 403, codes: [10000] });
  });
});
