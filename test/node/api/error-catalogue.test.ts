// The error catalogue is complete and alive: every code src/ sends is in it, every code in it is sent
// somewhere, and docs/errors.md lists exactly what it holds.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorDefinition } from "../../../src/errors/catalogue.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;
const CATALOGUE_FILE = "src/errors/catalogue.ts";

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && path !== CATALOGUE_FILE ? [path] : [];
  });
}

const sources = sourceFiles("src").map((path) => ({ path, text: readFileSync(join(ROOT, path), "utf8") }));

/** Where src/ names an error code: the calls that build errors, and `code:` fields. */
const CODE_SITES = [
  /\bapiError\(\s*"([^"]+)"/g,
  /\bfail\(\s*"([^"]+)"/g,
  /\berrorResponse\(\s*"([^"]+)"/g,
  /\berrorFrame\(\s*"([^"]+)"/g,
  /\bcloseWith\([^,()]+,[^,()]+,\s*"([^"]+)"/g,
  /\bsendError\([^,()]+,\s*"([^"]+)"/g,
  /\breject\([^,()]+,[^,()]+,\s*"([^"]+)"/g,
  /\bcode:\s*"([^"]+)"/g,
];

/** `code: "custom"` inside `details` is a field issue's code (zod's), not an error code. */
const FIELD_ISSUE_CODES = new Set(["custom"]);

const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");

function codesAtSites(text: string): string[] {
  const code = withoutComments(text);
  return CODE_SITES.flatMap((site) => [...code.matchAll(site)].map((match) => match[1] as string)).filter(
    (found) => !FIELD_ISSUE_CODES.has(found),
  );
}

describe("the error catalogue", () => {
  it("holds every code src/ sends", () => {
    const missing = sources.flatMap(({ path, text }) =>
      codesAtSites(text)
        .filter((code) => !Object.hasOwn(ERROR_CATALOGUE, code))
        .map((code) => `${path}: ${code}`),
    );
    expect(missing).toEqual([]);
  });

  it("finds codes where src/ sends them (the scan above is not blind)", () => {
    const found = new Set(sources.flatMap(({ text }) => codesAtSites(text)));
    expect([...found]).toEqual(
      expect.arrayContaining(["email_taken", "task_limit", "frame_too_large", "invalid_ticket", "session_full"]),
    );
  });

  it("has no dead codes: each one appears in src/ outside the catalogue", () => {
    const everything = sources.map(({ text }) => text).join("\n");
    expect(ERROR_CODES.filter((code) => !everything.includes(`"${code}"`))).toEqual([]);
  });

  it("gives every code a message and a description; only socket-only codes lack a status", () => {
    for (const code of ERROR_CODES) {
      const entry: ErrorDefinition = ERROR_CATALOGUE[code];
      expect(entry.message, code).not.toBe("");
      expect(entry.description, code).not.toBe("");
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
    }
  });
});

/** The table docs/errors.md carries between its markers, rendered from the catalogue. */
function renderTable(): string {
  const rows = ERROR_CODES.map((code) => {
    const entry: ErrorDefinition = ERROR_CATALOGUE[code];
    const headers = (entry.headers ?? []).map((name) => `\`${name}\``).join(", ");
    return `| \`${code}\` | ${entry.status ?? "socket frame"} | ${headers} | ${entry.description} |`;
  });
  return ["| Code | HTTP status | Headers | Meaning |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

describe("docs/errors.md", () => {
  it("lists exactly the catalogue (copy the expected table in when it fails)", () => {
    const doc = readFileSync(join(ROOT, "docs/errors.md"), "utf8");
    const table = doc.split("<!-- catalogue:start -->\n")[1]?.split("\n<!-- catalogue:end -->")[0];
    expect(table).toBe(renderTable());
  });
});
