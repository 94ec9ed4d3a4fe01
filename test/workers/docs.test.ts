// /docs works offline: the page and every asset it references come from this Worker, no inline
// script, under a Content-Security-Policy that allows this origin only.
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

describe("GET /docs", () => {
  it("references only same-origin assets, runs no inline script and sends a strict CSP", async () => {
    const res = await get("/docs");
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
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? "");
    expect(references.length).toBeGreaterThanOrEqual(3);
    for (const reference of references) {
      expect(reference, reference).toMatch(/^\/(?!\/)/);
      const asset = await get(reference);
      expect(asset.status, reference).toBe(200);
      expect(asset.headers.get("content-type"), reference).toMatch(/^text\/(javascript|css)/);
      expect(asset.headers.get("content-security-policy")).toBe(res.headers.get("content-security-policy"));
    }
    // The spec the page asks for is this Worker's own.
    expect(html).toContain('data-spec-url="/openapi.json"');
  });

  it("serves the pinned Swagger UI and a start script that reads the page, not the network", async () => {
    const bundle = await (await get("/docs/assets/swagger-ui-bundle.js")).text();
    expect(bundle).toContain("SwaggerUIBundle");
    expect(bundle.length).toBeGreaterThan(500_000);
    const start = await (await get("/docs/assets/start.js")).text();
    expect(start).toContain("data-spec-url");
    expect(start).toContain("validatorUrl: null");
    expect(start).not.toMatch(/https?:/);
  });

  it("answers 404 in the error model for an unknown asset", async () => {
    const res = await get("/docs/assets/nope.js");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
