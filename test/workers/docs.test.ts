// /docs works offline: the page comes from this Worker and every file it references from its static
// assets, no inline script, under a Content-Security-Policy that allows this origin only.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const get = (path: string) => exports.default.fetch(`https://api.test${path}`);

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

// The two HTML pages the Worker sends: the API docs and the console (web/console). Their scripts and
// styles are static assets; the page itself carries the CSP and the edge's security headers.
describe.each(["/docs", "/"])("GET %s", (path) => {
  it("references only same-origin assets, runs no inline script and sends a strict CSP", async () => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = directives(res.headers.get("content-security-policy") ?? "");
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    for (const [name, values] of csp) {
      expect(
        values.filter((v) => /^(https?:|\*|\/\/)/.test(v)),
        name,
      ).toEqual([]);
    }

    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="/);
      expect(body?.trim()).toBe("");
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
    // Same-origin files the Worker does not serve itself: static assets (test/node/infra/static-assets.test.ts
    // checks the build holds each one; the browser test loads the page for real).
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? "");
    expect(references.length).toBeGreaterThanOrEqual(3);
    for (const reference of references) expect(reference, reference).toMatch(/^\/(?!\/)/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toBe("no-cache");
  });
});

describe("the pages' scripts", () => {
  it("the console allows no inline style either (Swagger UI's page needs them)", async () => {
    const csp = directives((await get("/")).headers.get("content-security-policy") ?? "");
    expect(csp.get("style-src")).toEqual(["'self'"]);
    expect(csp.get("img-src")).toEqual(["'self'"]);
  });
});

describe("GET /docs", () => {
  it("asks for this Worker's own spec", async () => {
    expect(await (await get("/docs")).text()).toContain('data-spec-url="/openapi.json"');
  });

  it("leaves /docs/assets to the static assets: the Worker answers 404 in the error model", async () => {
    const res = await get("/docs/assets/swagger-ui-bundle.js");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
