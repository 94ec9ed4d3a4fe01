import { describe, expect, it } from "vitest";
import { APP_NAME } from "../../../infra/core/runtime.ts";
import { cloudflareLeftovers, parseStateList, teardownVerdict } from "../../../infra/delivery/teardown.ts";
import type { CloudflareInventory } from "../../../infra/vendors/cloudflare-api.ts";

const empty: CloudflareInventory = { workers: [], databases: [], durableObjectNamespaces: [] };

describe("parseStateList", () => {
  it("returns the stage's resources from `alchemy state list`", () => {
    const output = `[CloudflareStateStore] Updating...\n${APP_NAME}/pr-7/db\n${APP_NAME}/pr-7/worker\n`;
    expect(parseStateList(output, "pr-7")).toEqual([`${APP_NAME}/pr-7/db`, `${APP_NAME}/pr-7/worker`]);
  });

  it("ignores other stages that share a prefix", () => {
    expect(parseStateList(`${APP_NAME}/pr-70/db\n(no resources)\n`, "pr-7")).toEqual([]);
  });

  it("reads the empty marker as nothing left", () => {
    expect(parseStateList("(no resources)\n", "pr-7")).toEqual([]);
  });

  it("refuses output it does not understand rather than reporting a clean stage", () => {
    expect(() => parseStateList("", "pr-7")).toThrow(/Could not read the state of stage "pr-7"/);
    expect(() => parseStateList("Error: something\n", "pr-7")).toThrow(/something/);
  });
});

describe("cloudflareLeftovers", () => {
  it("names the stage's Worker, D1 database and Durable Object namespaces", () => {
    const inventory: CloudflareInventory = {
      workers: [`${APP_NAME}-worker-pr-7`, `${APP_NAME}-worker-pr-70`, "other"],
      databases: [`${APP_NAME}-db-pr-7`, `${APP_NAME}-db-prod`],
      durableObjectNamespaces: [
        {
          id: "ns1",
          name: `${APP_NAME}-worker-pr-7_SessionDO`,
          script: `${APP_NAME}-worker-pr-7`,
          class: "SessionDO",
        },
        { id: "ns2", script: `${APP_NAME}-worker-pr-70`, class: "SessionDO" },
      ],
    };
    expect(cloudflareLeftovers(inventory, "pr-7")).toEqual([
      `Worker ${APP_NAME}-worker-pr-7`,
      `D1 database ${APP_NAME}-db-pr-7`,
      `Durable Object namespace ${APP_NAME}-worker-pr-7_SessionDO (class SessionDO)`,
    ]);
    expect(cloudflareLeftovers(empty, "pr-7")).toEqual([]);
  });
});

describe("teardownVerdict", () => {
  it("passes only when nothing is left anywhere", () => {
    expect(teardownVerdict({ stage: "pr-7", state: [], cloudflare: [] }).ok).toBe(true);
    expect(teardownVerdict({ stage: "pr-7", state: [`${APP_NAME}/pr-7/db`], cloudflare: [] }).ok).toBe(false);
    expect(teardownVerdict({ stage: "pr-7", state: [], cloudflare: ["Worker x"] }).ok).toBe(false);
  });

  it("names everything that remains", () => {
    const { message } = teardownVerdict({
      stage: "pr-7",
      state: [`${APP_NAME}/pr-7/db`],
      cloudflare: [`Worker ${APP_NAME}-worker-pr-7`],
    });
    expect(message).toContain("Stage pr-7 was NOT fully destroyed");
    expect(message).toContain(`in alchemy's state: ${APP_NAME}/pr-7/db`);
    expect(message).toContain(`on Cloudflare: Worker ${APP_NAME}-worker-pr-7`);
  });
});
