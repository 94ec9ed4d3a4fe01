// The /docs route: the page only. Its Swagger UI files are static assets (infra/assets), so the
// Worker's bundle and start-up do not carry them; nothing comes from a CDN, it works offline.
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env.ts";
import { DOCS_CSP, DOCS_HTML } from "./docs-page.ts";

export const docsRoutes = new Hono<AppEnv>().get("/docs", (c) => {
  c.header("Content-Security-Policy", DOCS_CSP);
  c.header("Cache-Control", "no-cache");
  return c.html(DOCS_HTML);
});
