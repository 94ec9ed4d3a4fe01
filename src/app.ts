// createApp(): the one place that owns middleware, routes, API docs and error handling.

import { swaggerUI } from "@hono/swagger-ui";
import { OpenAPIHono } from "@hono/zod-openapi";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { healthRoutes } from "./health/health.ts";
import type { AppEnv } from "./http/app-env.ts";
import { errorHandler, methodNotAllowedHandler, notFoundHandler } from "./http/error-handler.ts";
import { validationHook } from "./http/validation.ts";

export function createApp() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use(requestId());
  app.use(secureHeaders());

  const routes = app.route("/", healthRoutes);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Stateful Workers API", version: "1" },
  });
  app.get("/docs", swaggerUI({ url: "/openapi.json" }));

  app.use(methodNotAllowed({ app, onMethodNotAllowed: methodNotAllowedHandler }));
  app.notFound(notFoundHandler);
  app.onError(errorHandler);
  return routes;
}

export type App = ReturnType<typeof createApp>;
