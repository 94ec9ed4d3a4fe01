// Durable Object SQLite goes through one helper (src/shared/sql.ts: typed rows, bound parameters
// only) in every object: the session object and the login limiter alike.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url).pathname;
const HELPER = "src/shared/sql.ts";

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

it("only the Sql helper touches a Durable Object's storage.sql", () => {
  const files = sourceFiles("src").map((path) => ({ path, text: readFileSync(join(ROOT, path), "utf8") }));
  expect(files.find(({ path }) => path === HELPER)?.text).toMatch(/storage\.sql\.exec/);
  const direct = files.filter(({ path, text }) => path !== HELPER && /\.sql\.exec\b|storage\.sql\b/.test(text));
  expect(direct.map(({ path }) => path)).toEqual([]);
});
