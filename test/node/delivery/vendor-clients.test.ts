// The two vendor modules: the official clients built from the environment, their failures worded the project's way.
import { afterEach, describe, expect, it, vi } from "vitest";
import { CloudflareApiError, cloudflareClientFromEnv, loadInventory } from "../../../infra/vendors/cloudflare-api.ts";
import { branchExists, GitHubApiError, gitHubClientFromEnv, listBranches } from "../../../infra/vendors/github-api.ts";
import { readSubdomain } from "../../../infra/workers-subdomain.ts";
import { ACCOUNT, deployEnv, fakeApi } from "./fake-api.ts";

const unreachable = async () => {
  throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
};
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

afterEach(() => vi.unstubAllEnvs());

describe("the Cloudflare client", () => {
  it("sends only the environment's API token, whatever else the process environment holds", async () => {
    vi.stubEnv("CLOUDFLARE_API_KEY", "global-key");
    vi.stubEnv("CLOUDFLARE_EMAIL", "someone@example.com");
    const headers: Headers[] = [];
    const client = cloudflareClientFromEnv(deployEnv, async (_url, init) => {
      headers.push(new Headers(init?.headers));
      return json(200, { success: true, errors: [], result: { subdomain: "acme" } });
    });
    expect(await readSubdomain(client)).toEqual({ subdomain: "acme" });
    expect(headers[0]?.get("authorization")).toBe(`Bearer ${deployEnv.CLOUDFLARE_API_TOKEN}`);
    expect(headers[0]?.has("x-auth-key")).toBe(false);
    expect(headers[0]?.has("x-auth-email")).toBe(false);
  });

  it("words a refusal with Cloudflare's codes and status, and an unreachable API with its URL, never the token", async () => {
    const refused = cloudflareClientFromEnv(deployEnv, async () =>
      json(403, { success: false, errors: [{ code: 10000, message: "Authentication error" }], result: null }),
    );
    const refusal = readSubdomain(refused);
    await expect(refusal).rejects.toBeInstanceOf(CloudflareApiError);
    await expect(refusal).rejects.toMatchObject({
      status: 403,
      codes: [10000],
      message: "Cloudflare GET workers/subdomain failed with 403: Authentication error [code 10000]",
    });
    const down = loadInventory(deployEnv, unreachable);
    await expect(down).rejects.toThrow(/^Cloudflare API at http:\/\/cloudflare\.test\/client\/v4 unreachable \(GET /);
    await expect(down).rejects.toThrow(/ECONNREFUSED/);
    await expect(down).rejects.not.toThrow(deployEnv.CLOUDFLARE_API_TOKEN);
  });

  it("refuses to start without real credentials", () => {
    expect(() => cloudflareClientFromEnv({ CLOUDFLARE_ACCOUNT_ID: ACCOUNT })).toThrow(/CLOUDFLARE_API_TOKEN/);
  });
});

describe("the GitHub client", () => {
  it("keeps GitHub's status on a refusal and names an unreachable API, never the token", async () => {
    const api = fakeApi({ "GET /api/v3/repos/acme/api/branches/kept": () => ({ name: "kept" }) });
    const client = gitHubClientFromEnv(deployEnv, api.fetch);
    expect(await branchExists(client, "kept")).toBe(true);
    expect(await branchExists(client, "gone")).toBe(false);
    expect(api.calls.map((call) => call.url.pathname)).toEqual([
      "/api/v3/repos/acme/api/branches/kept",
      "/api/v3/repos/acme/api/branches/gone",
    ]);

    const refused = gitHubClientFromEnv(deployEnv, async () => json(403, { message: "Resource not accessible" }));
    const refusal = listBranches(refused);
    await expect(refusal).rejects.toBeInstanceOf(GitHubApiError);
    await expect(refusal).rejects.toMatchObject({ status: 403 });
    await expect(refusal).rejects.toThrow('GitHub GET branches failed with 403: {"message":"Resource not accessible"}');

    const down = listBranches(gitHubClientFromEnv(deployEnv, unreachable));
    await expect(down).rejects.toThrow(/^GitHub API at http:\/\/github\.test\/api\/v3 unreachable \(GET branches\)/);
    await expect(down).rejects.not.toThrow(deployEnv.GITHUB_TOKEN);
  });

  it("needs the token and an owner/name repository", () => {
    expect(() => gitHubClientFromEnv({ GITHUB_REPOSITORY: "acme/api" })).toThrow(/GITHUB_TOKEN/);
    expect(() => gitHubClientFromEnv({ GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme" })).toThrow(/owner\/name/);
  });
});
