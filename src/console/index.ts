// The browser console's page (the app itself lives in web/console and ships as static assets).
export { consoleRoutes } from "./console.ts";
