// Routes for /docs and its assets: every byte from this Worker, nothing from a CDN, works offline.
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env.ts";
import { apiError } from "../http/errors.ts";
import { DOCS_ASSETS, DOCS_CSP, DOCS_HTML } from "./docs-page.ts";

/** The assets change only with the pinned swagger-ui-dist version, i.e. with a deploy. */
const ASSET_CACHE = "public, max-age=3600";

export const docsRoutes = new Hono<AppEnv>()
  .get("/docs", (c) => {
    c.header("Content-Security-Policy", DOCS_CSP);
    c.header("Cache-Control", "no-cache");
    return c.html(DOCS_HTML);
  })
  .get("/docs/assets/:name", (c) => {
    const asset = DOCS_ASSETS[c.req.param("name")];
    if (!asset) throw apiError("not_found", { message: "No such docs asset." });
    c.header("Content-Security-Policy", DOCS_CSP);
    c.header("Cache-Control", ASSET_CACHE);
    return c.body(asset.body, 200, { "Content-Type": asset.contentType });
  });
