// The console route: GET / answers the console's page; its script and styles are static assets.
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env.ts";
import { CONSOLE_CSP, CONSOLE_HTML, CONSOLE_PATH } from "./console-page.ts";

export const consoleRoutes = new Hono<AppEnv>().get(CONSOLE_PATH, (c) => {
  c.header("Content-Security-Policy", CONSOLE_CSP);
  // The page names unhashed asset files: revalidate, so a deploy is seen on the next load.
  c.header("Cache-Control", "no-cache");
  return c.html(CONSOLE_HTML);
});
