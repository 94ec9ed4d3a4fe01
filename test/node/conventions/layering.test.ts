// The layout's rules, checked on every import (docs/layout.md): no folder-level cycles, and each
// side of the Worker / Durable Object boundary imports only what it may.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { edgesWithin, folderCycles, type ImportEdge, type LayerRule, readImports, violations } from "./import-graph.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;

const isPackage = (edge: ImportEdge) => !edge.to.startsWith("src/") && !edge.to.startsWith("infra/");
const isHono = (edge: ImportEdge) => edge.to === "hono" || edge.to.startsWith("hono/") || edge.to.startsWith("@hono/");
const under =
  (...prefixes: string[]) =>
  (edge: ImportEdge) =>
    prefixes.some((prefix) => edge.to.startsWith(prefix));
const COMPOSITION_ROOT = ["src/app.ts", "src/index.ts"];
const SHARED_SHAPES = ["src/sessions/model.ts", "src/sessions/protocol.ts"];
const FEATURES = ["src/auth/", "src/sessions/", "src/health/", "src/docs/", "src/console/", "src/client/"];

const RULES: LayerRule[] = [
  {
    why: "shared helpers import nothing of the app and no package, so any layer may use them",
    files: "src/shared/",
    forbids: (edge) => !edge.to.startsWith("src/shared/"),
  },
  {
    why: "the Durable Object never imports Hono or HTTP code: it is reached by RPC, not routed",
    files: "src/sessions/object/",
    forbids: (edge) => isHono(edge) || under("src/http/", "src/auth/", "src/sessions/api/", ...COMPOSITION_ROOT)(edge),
  },
  {
    why: "the typed client ships to browsers and scripts: only the model, the wire protocol and the App type",
    files: "src/client/",
    forbids: (edge) =>
      !(
        edge.to.startsWith("src/client/") ||
        SHARED_SHAPES.includes(edge.to) ||
        (edge.to === "src/app.ts" && edge.typeOnly) ||
        edge.to === "hono/client" ||
        edge.to === "zod"
      ),
  },
  {
    why: "the model and the wire protocol are shared by the object, the routes and the client alike",
    files: "src/sessions/model.ts",
    forbids: (edge) => !(edge.to.startsWith("src/shared/") || edge.to === "zod"),
  },
  {
    why: "the model and the wire protocol are shared by the object, the routes and the client alike",
    files: "src/sessions/protocol.ts",
    forbids: (edge) => !(edge.to.startsWith("src/shared/") || SHARED_SHAPES.includes(edge.to) || edge.to === "zod"),
  },
  {
    why: "the platform layers (config, errors, http) sit under every feature and import none",
    files: "src/config/",
    forbids: under(...FEATURES, "src/http/", ...COMPOSITION_ROOT),
  },
  {
    why: "the platform layers (config, errors, http) sit under every feature and import none",
    files: "src/errors/",
    forbids: under(...FEATURES, "src/http/", ...COMPOSITION_ROOT),
  },
  {
    why: "the platform layers (config, errors, http) sit under every feature and import none",
    files: "src/http/",
    forbids: under(...FEATURES, ...COMPOSITION_ROOT),
  },
  {
    why: "auth is under the sessions feature: what sessions must hear from it goes through createApp()",
    files: "src/auth/",
    forbids: under("src/sessions/", ...COMPOSITION_ROOT),
  },
  {
    why: "only the entry imports the composition root",
    files: "src/sessions/",
    forbids: under(...COMPOSITION_ROOT),
  },
  {
    why: "infra/core (runtime facts, names, stages, credentials) is what every part of infra builds on",
    files: "infra/core/",
    forbids: (edge) => edge.to.startsWith("infra/") && !edge.to.startsWith("infra/core/"),
  },
  {
    why: "the vendor clients know the vendors and infra/core, nothing of what uses them",
    files: "infra/vendors/",
    forbids: (edge) => edge.to.startsWith("infra/") && !under("infra/core/", "infra/vendors/")(edge),
  },
  {
    why: "the alchemy program never loads the delivery scripts; they drive it from outside",
    files: "infra/",
    forbids: (edge) => !edge.from.startsWith("infra/delivery/") && edge.to.startsWith("infra/delivery/"),
  },
];

describe("the layout's rules", () => {
  const edges = readImports(ROOT, ["src", "infra"]);

  it("reads the imports it checks", () => {
    // A reader that finds nothing would pass every rule below.
    expect(edges.filter((edge) => edge.from.startsWith("src/sessions/object/")).length).toBeGreaterThan(20);
    expect(edges.some((edge) => edge.typeOnly)).toBe(true);
    expect(edges.some(isPackage)).toBe(true);
  });

  it("has no import cycle between folders of src/ or infra/", () => {
    const cycles = [...folderCycles(edges, "src"), ...folderCycles(edges, "infra")];
    expect(cycles.map((folders) => ({ folders, arrows: edgesWithin(edges, folders) }))).toEqual([]);
  });

  it("keeps each side of the boundary to the imports it may make", () => {
    expect(violations(edges, RULES)).toEqual([]);
  });
});

describe("the checks themselves", () => {
  const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly });

  it("finds a cycle between folders, and only between folders", () => {
    const cyclic = [edge("src/a/x.ts", "src/b/y.ts"), edge("src/b/y.ts", "src/a/z.ts", true)];
    expect(folderCycles(cyclic, "src")).toEqual([["src/a", "src/b"]]);
    expect(edgesWithin(cyclic, ["src/a", "src/b"])).toEqual(["src/a/x.ts -> src/b/y.ts", "src/b/y.ts -> src/a/z.ts"]);
    expect(folderCycles([edge("src/a/x.ts", "src/a/y.ts"), edge("src/a/y.ts", "src/a/x.ts")], "src")).toEqual([]);
  });

  it("tells type-only imports from value imports, over several lines too", () => {
    const root = mkdtempSync(join(tmpdir(), "layering-"));
    mkdirSync(join(root, "src"));
    writeFileSync(
      join(root, "src/a.ts"),
      [
        'import type {\n  exportStream,\n  App,\n} from "./app.ts";',
        'import { exportStream as value } from "./b.ts";',
        'export type { Role } from "./c.ts";',
        'const lazy = () => import("./d.ts");',
      ].join("\n"),
    );
    expect(readImports(root, ["src"]).map(({ to, typeOnly }) => [to, typeOnly])).toEqual([
      ["src/app.ts", true],
      ["src/b.ts", false],
      ["src/c.ts", true],
      ["src/d.ts", false],
    ]);
  });

  it("reports a forbidden import with its reason", () => {
    const found = violations([edge("src/sessions/object/hub.ts", "hono")], RULES);
    expect(found).toEqual([expect.stringContaining("never imports Hono")]);
    expect(violations([edge("src/client/a.ts", "src/app.ts", true)], RULES)).toEqual([]);
    expect(violations([edge("src/client/a.ts", "src/app.ts")], RULES)).toHaveLength(1);
  });
});
