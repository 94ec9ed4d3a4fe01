// The guard a deploy runs first: refuses unacknowledged destruction on protected stages, reports it on previews.
import { describe, expect, it } from "vitest";
import { APP_NAME } from "../../../../infra/core/runtime.ts";
import { DestructiveChangeError, guardDestructiveChanges } from "../../../../infra/data-safety/guard.ts";
import { stackResources } from "../../../../infra/resources.ts";
import { cloudflareClientFromEnv } from "../../../../infra/vendors/cloudflare-api.ts";
import { ACCOUNT, cf, deployEnv, fakeApi } from "../../delivery/fake-api.ts";

const limiterBinding = { type: "durable_object_namespace", name: "LOGIN_LIMITER", class_name: "LoginLimiterDO" };

/** The account through Cloudflare's SDK: the Worker's settings, or 404 (no Worker) when `bindings` is undefined. */
function cloudflare(workerName: string, bindings: unknown[] | undefined) {
  const api = fakeApi({
    [`GET /client/v4/accounts/${ACCOUNT}/workers/scripts/${workerName}/settings`]: () =>
      bindings
        ? cf({ bindings, tags: ["alchemy:do:sessions:SESSIONS", "alchemy:do:login-limiter:LOGIN_LIMITER"] })
        : new Response(JSON.stringify({ success: false, errors: [{ code: 10007, message: "not found" }] }), {
            status: 404,
            headers: { "content-type": "application/json" },
          }),
  });
  const client = cloudflareClientFromEnv(deployEnv, api.fetch);
  return {
    accountId: client.accountId,
    call: client.call,
    get paths() {
      return api.calls.map((call) => `${call.method} ${call.url.pathname}`);
    },
  };
}

function input(stage: string, options: { acks?: unknown[]; retireLimiter?: boolean } = {}) {
  const resources = stackResources(stage);
  const worker = resources.find((r) => r.id === "worker")?.name as string;
  const logged: string[] = [];
  const sessions = { type: "durable_object_namespace", name: "SESSIONS", class_name: "SessionDO" };
  const durableObjects = [{ binding: "SESSIONS", id: "sessions", className: "SessionDO" }];
  if (!options.retireLimiter)
    durableObjects.push({ binding: "LOGIN_LIMITER", id: "login-limiter", className: "LoginLimiterDO" });
  const state = Object.fromEntries(resources.map((r) => [r.id, { kind: r.kind, output: { name: r.name } }]));
  return {
    logged,
    guard: {
      stage,
      resources,
      durableObjects,
      state: { all: async () => state },
      cloudflare: cloudflare(worker, [sessions, limiterBinding]),
      acknowledgements: options.acks ?? [],
      env: {},
      log: (line: string) => logged.push(line),
    },
  };
}

const ack = {
  stage: "prod",
  kind: "durable-object-class",
  name: "LoginLimiterDO",
  reason: "Login limits moved to the IdP.",
};

describe("guardDestructiveChanges", () => {
  it("lets an unchanged protected stage deploy, reading the deployed Worker's settings", async () => {
    const { guard } = input("prod");
    expect(await guardDestructiveChanges(guard)).toEqual([]);
    expect(guard.cloudflare.paths).toEqual([
      `GET /client/v4/accounts/${ACCOUNT}/workers/scripts/${APP_NAME}-worker-prod/settings`,
    ]);
  });

  it("refuses to retire the login limiter on prod, naming the class and the entry that would allow it", async () => {
    const { guard } = input("prod", { retireLimiter: true });
    const refusal = guardDestructiveChanges(guard);
    await expect(refusal).rejects.toBeInstanceOf(DestructiveChangeError);
    await expect(refusal).rejects.toThrow(/Durable Object class LoginLimiterDO .* enters deleted_classes/);
    await expect(refusal).rejects.toThrow('kind: "durable-object-class", name: "LoginLimiterDO"');
  });

  it("goes ahead on prod once acknowledged, and says what it deletes", async () => {
    const { guard, logged } = input("prod", { retireLimiter: true, acks: [ack] });
    expect(await guardDestructiveChanges(guard)).toEqual([expect.objectContaining({ name: "LoginLimiterDO" })]);
    expect(logged.join("\n")).toMatch(/acknowledged in infra\/acknowledged-destruction.ts/);
  });

  it("lets a preview go ahead, saying what it deletes", async () => {
    const { guard, logged } = input("pr-7", { retireLimiter: true });
    expect(await guardDestructiveChanges(guard)).toHaveLength(1);
    expect(logged.join("\n")).toMatch(
      /Stage pr-7 is not protected; this deploy deletes or replaces:\n .*LoginLimiterDO/,
    );
  });

  it("refuses to run on an invalid acknowledgement file", async () => {
    const { guard } = input("prod", { acks: [{ ...ack, reason: "" }] });
    await expect(guardDestructiveChanges(guard)).rejects.toThrow(/acknowledged-destruction.ts is invalid/);
  });
});
