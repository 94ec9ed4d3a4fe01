// One D1 parameter style across src/: numbered (`?1`), which a statement needs as soon as it uses a
// value twice, so every D1 statement reads the same and a reader can match placeholders to `bind`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Modules that talk to D1: they prepare statements on a D1Database (the object's SQL goes through its Sql helper). */
const d1Modules = sourceFiles("src")
  .map((path) => ({ path, text: readFileSync(join(ROOT, path), "utf8") }))
  .filter(({ text }) => /\.prepare\(/.test(text));

/** SQL text in string and template literals: anything that reads like a statement or a fragment of one. */
function sqlLiterals(text: string): string[] {
  const literals = text.match(/`[^`]*`|"(?:[^"\\\n]|\\.)*"/g) ?? [];
  return literals.filter((literal) => /\b(SELECT|INSERT|UPDATE|DELETE|WHERE|AND|OR)\b/.test(literal));
}

/** A bare `?` placeholder: not `?1`, and not TypeScript's `?.`, `??` or `?:` inside a template's `${}`. */
const ANONYMOUS = /\?(?![0-9.?:])/;

describe("D1 statements in src/", () => {
  it("are found (the scan is not blind)", () => {
    expect(d1Modules.map(({ path }) => path)).toEqual(
      expect.arrayContaining(["src/sessions/api/index-store.ts", "src/auth/credentials.ts"]),
    );
  });

  it("use numbered parameters only", () => {
    const anonymous = d1Modules.flatMap(({ path, text }) =>
      sqlLiterals(text)
        .filter((sql) => ANONYMOUS.test(sql.replace(/\$\{[^}]*\}/g, "")))
        .map((sql) => `${path}: ${sql.slice(0, 90)}`),
    );
    expect(anonymous).toEqual([]);
  });
});
