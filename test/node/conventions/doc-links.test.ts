// Links between the README and docs/: every relative link names a file that exists and, with a
// `#fragment`, a heading in it, so moving a section cannot silently leave a dead link behind.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url).pathname;
const PAGES = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

function anchors(path: string): Set<string> {
  const text = readFileSync(join(ROOT, path), "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchor(match[1] as string)));
}

/** `[text](target)` links that stay in the repository (no scheme, no mail). */
function relativeLinks(path: string): string[] {
  const text = readFileSync(join(ROOT, path), "utf8").replace(/```[\s\S]*?```/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] as string)
    .filter((target) => !/^[a-z]+:/i.test(target));
}

describe("links in README.md and docs/", () => {
  it("has pages to check", () => {
    expect(PAGES).toContain("docs/api.md");
  });

  for (const page of PAGES) {
    it(`${page}: every relative link resolves`, () => {
      const broken: string[] = [];
      for (const target of relativeLinks(page)) {
        const [file = "", fragment] = target.split("#");
        const resolved = file === "" ? page : normalize(join(dirname(page), file));
        if (!existsSync(join(ROOT, resolved))) broken.push(`${target} (no ${resolved})`);
        else if (fragment && resolved.endsWith(".md") && !anchors(resolved).has(fragment)) {
          broken.push(`${target} (no heading #${fragment} in ${resolved})`);
        }
      }
      expect(broken).toEqual([]);
    });
  }
});
