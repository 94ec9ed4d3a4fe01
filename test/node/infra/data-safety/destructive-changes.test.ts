// What a deploy would delete or replace, from alchemy's state, the program and the deployed Worker's bindings.
import { describe, expect, it } from "vitest";
import { APP_NAME } from "../../../../infra/core/runtime.ts";
import {
  D1_KIND,
  type DeployedWorker,
  type DestructionInput,
  planDestruction,
  unlistedResources,
  WORKER_KIND,
} from "../../../../infra/data-safety/destructive-changes.ts";

const resources = [
  { id: "db", kind: D1_KIND, name: `${APP_NAME}-db-prod` },
  { id: "worker", kind: WORKER_KIND, name: `${APP_NAME}-worker-prod` },
];
const durableObjects = [
  { binding: "SESSIONS", id: "sessions", className: "SessionDO" },
  { binding: "LOGIN_LIMITER", id: "login-limiter", className: "LoginLimiterDO" },
];
const state = [
  { id: "db", kind: D1_KIND, name: `${APP_NAME}-db-prod` },
  { id: "worker", kind: WORKER_KIND, name: `${APP_NAME}-worker-prod` },
];
const deployed: DeployedWorker = {
  name: `${APP_NAME}-worker-prod`,
  bindings: [
    { type: "d1", name: "DB" },
    { type: "durable_object_namespace", name: "SESSIONS", class_name: "SessionDO" },
    { type: "durable_object_namespace", name: "LOGIN_LIMITER", class_name: "LoginLimiterDO" },
  ],
  tags: ["alchemy:do:sessions:SESSIONS", "alchemy:do:login-limiter:LOGIN_LIMITER", "alchemy:migration-tag:v2"],
};
const unchanged: DestructionInput = { resources, durableObjects, state, deployed };

describe("planDestruction", () => {
  it("finds nothing for an unchanged program, a fresh stage, or a new resource", () => {
    expect(planDestruction(unchanged)).toEqual([]);
    expect(planDestruction({ resources, durableObjects, state: [], deployed: undefined })).toEqual([]);
    const more = [...resources, { id: "cache", kind: "cloudflare::KVNamespace", name: `${APP_NAME}-cache-prod` }];
    expect(planDestruction({ ...unchanged, resources: more })).toEqual([]);
  });

  it("names a D1 database whose resource id was renamed: alchemy deletes the old one as an orphan", () => {
    const renamed = resources.map((r) =>
      r.id === "db" ? { ...r, id: "database", name: `${APP_NAME}-database-prod` } : r,
    );
    expect(planDestruction({ ...unchanged, resources: renamed })).toEqual([
      expect.objectContaining({ kind: "d1-database", name: `${APP_NAME}-db-prod` }),
    ]);
  });

  it("names a D1 database whose physical name changed: replaced by a new, empty one", () => {
    const renamed = resources.map((r) => (r.id === "db" ? { ...r, name: "other-db-prod" } : r));
    const [change] = planDestruction({ ...unchanged, resources: renamed });
    expect(change).toMatchObject({ kind: "d1-database", name: `${APP_NAME}-db-prod` });
    expect(change?.what).toContain("new, empty other-db-prod");
  });

  it("names a Worker whose id was renamed (its Durable Objects go with it), and any other orphan", () => {
    const renamed = resources.map((r) => (r.id === "worker" ? { ...r, id: "api" } : r));
    expect(planDestruction({ ...unchanged, resources: renamed })).toEqual([
      expect.objectContaining({ kind: "worker", name: `${APP_NAME}-worker-prod` }),
    ]);
    const extra = [...state, { id: "cache", kind: "cloudflare::KVNamespace", name: "kv-prod" }];
    expect(planDestruction({ ...unchanged, state: extra })).toEqual([
      expect.objectContaining({ kind: "resource", name: "kv-prod" }),
    ]);
    // Nested scopes are alchemy's bookkeeping, not resources it destroys as orphans.
    expect(
      planDestruction({ ...unchanged, state: [...state, { id: "x", kind: "alchemy::Scope", name: undefined }] }),
    ).toEqual([]);
  });

  it("names a Durable Object class whose binding is removed (retiring the login limiter)", () => {
    const retired = durableObjects.filter((o) => o.binding !== "LOGIN_LIMITER");
    const [change] = planDestruction({ ...unchanged, durableObjects: retired });
    expect(change).toMatchObject({ kind: "durable-object-class", name: "LoginLimiterDO" });
    expect(change?.what).toContain('namespace "login-limiter" (binding LOGIN_LIMITER) is no longer bound');
  });

  it("names the class of a namespace whose id changed, even under the same binding name", () => {
    const renamed = durableObjects.map((o) => (o.id === "sessions" ? { ...o, id: "sessions-renamed" } : o));
    expect(planDestruction({ ...unchanged, durableObjects: renamed })).toEqual([
      expect.objectContaining({ kind: "durable-object-class", name: "SessionDO" }),
    ]);
  });

  it("keeps a class whose binding was only renamed (same namespace id), as alchemy does", () => {
    const rebound = durableObjects.map((o) => (o.id === "sessions" ? { ...o, binding: "SESSION_OBJECTS" } : o));
    expect(planDestruction({ ...unchanged, durableObjects: rebound })).toEqual([]);
  });

  it("without alchemy's tags, matches by binding name and class like alchemy's fallback", () => {
    const untagged = { ...deployed, tags: [] };
    expect(planDestruction({ ...unchanged, deployed: untagged })).toEqual([]);
    const otherClass = durableObjects.map((o) => (o.binding === "SESSIONS" ? { ...o, className: "ChatDO" } : o));
    expect(planDestruction({ ...unchanged, deployed: untagged, durableObjects: otherClass })).toEqual([
      expect.objectContaining({ kind: "durable-object-class", name: "SessionDO" }),
    ]);
  });

  it("ignores bindings to another script's class: no migration runs there", () => {
    const crossScript = {
      ...deployed,
      bindings: [
        ...deployed.bindings,
        { type: "durable_object_namespace", name: "OTHER", class_name: "X", script_name: "other" },
      ],
    };
    expect(planDestruction({ ...unchanged, deployed: crossScript })).toEqual([]);
  });
});

describe("unlistedResources", () => {
  it("names what the program created beyond the list the guard judges orphans by", () => {
    expect(unlistedResources(["db", "worker"], resources)).toEqual([]);
    expect(unlistedResources(["db", "worker", "cache"], resources)).toEqual(["cache"]);
  });
});
