// createApp(): the one place that owns middleware, routes, API docs and error handling.

import { OpenAPIHono } from "@hono/zod-openapi";
import { methodNotAllowed } from "hono/method-not-allowed";
import { apiKeyRoutes, authRoutes, PUBLIC_AUTH_PATHS, requireAuth } from "./auth/index.ts";
import { getSessionLimits } from "./config/session-limits.ts";
import { consoleRoutes } from "./console/index.ts";
import { docsRoutes, OPENAPI_PATH } from "./docs/index.ts";
import { healthRoutes } from "./health/health.ts";
import type { AppEnv } from "./http/app-env.ts";
import { bodyLimitFromConfig } from "./http/body-limit.ts";
import type { ClientApp } from "./http/client-app.ts";
import { requireValidConfig } from "./http/config-check.ts";
import { corsFromConfig } from "./http/cors.ts";
import { edgeHeaders } from "./http/edge-headers.ts";
import { errorHandler, methodNotAllowedHandler, notFoundHandler } from "./http/error-handler.ts";
import { openApiDocument } from "./http/openapi-document.ts";
import { validationHook } from "./http/validation.ts";
import { sessionRoutes } from "./sessions/api/index.ts";
import { disconnectCredentials } from "./sessions/api/live-access.ts";
import { isTicketUpgrade, realtimeRoutes, refuseUpgradesAsSockets } from "./sessions/api/realtime.ts";

export function createApp() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use(edgeHeaders);
  // Revoked credentials end the sockets opened with them: auth announces, the sessions feature acts.
  app.use((c, next) => {
    c.set("credentialsEnded", disconnectCredentials);
    return next();
  });
  app.use(requireValidConfig);
  app.use(corsFromConfig);
  // Outside the auth gate, so a refused upgrade (even for missing credentials) closes with a reason.
  app.use("/v1/sessions/:id/ws", refuseUpgradesAsSockets);
  // Every /v1 route needs a token except signup, login and a ticketed WebSocket upgrade (the ticket
  // is its credential). Authenticating before the body limit means anonymous callers never get a
  // body read.
  const publicPaths = new Set(PUBLIC_AUTH_PATHS);
  app.use("/v1/*", (c, next) => (publicPaths.has(c.req.path) || isTicketUpgrade(c) ? next() : requireAuth(c, next)));
  app.use(bodyLimitFromConfig);

  const routes = app
    .route("/", healthRoutes)
    .route("/v1", authRoutes)
    .route("/v1", apiKeyRoutes)
    .route("/v1", sessionRoutes)
    .route("/v1", realtimeRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "A login token (`sat_…`), an API key (`sak_…`) or, when configured, a JWT from your identity provider",
  });
  // Per environment, because the document states the limits this deployment is configured with.
  const documents = new WeakMap<object, ReturnType<typeof openApiDocument>>();
  app.get(OPENAPI_PATH, (c) => {
    let document = documents.get(c.env);
    if (!document) {
      document = openApiDocument(app, getSessionLimits(c.env));
      documents.set(c.env, document);
    }
    return c.json(document);
  });
  app.route("/", docsRoutes);
  app.route("/", consoleRoutes);

  app.use(methodNotAllowed({ app, onMethodNotAllowed: methodNotAllowedHandler }));
  app.notFound(notFoundHandler);
  app.onError(errorHandler);
  return routes;
}

/** The type `hc<App>` (hono/client) reads: every route, typed from its schemas. */
export type App = ClientApp<ReturnType<typeof createApp>>;
