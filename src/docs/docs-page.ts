// The /docs page: Swagger UI from the pinned swagger-ui-dist package, served by this Worker, started
// by a script file (no inline script), under a Content-Security-Policy that allows only this origin.

import swaggerUiCss from "swagger-ui-dist/swagger-ui.css?raw";
import swaggerUiBundle from "swagger-ui-dist/swagger-ui-bundle.js?raw";

export const DOCS_ASSETS_PATH = "/docs/assets";
export const OPENAPI_PATH = "/openapi.json";

/**
 * Same-origin everything; no inline or eval'd script. Inline *styles* are allowed because Swagger
 * UI's React components set some; styles cannot run code. `connect-src 'self'` lets "Try it out"
 * call this API and nothing else; `frame-ancestors 'none'` keeps the page out of other sites' frames.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Reads the spec URL from the page, so the page carries no script of its own. */
const START_SCRIPT = `"use strict";
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    // Otherwise Swagger UI sends the spec to validator.swagger.io for a badge.
    validatorUrl: null,
  });
});
`;

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API docs</title>
<link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
<script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js" defer></script>
<script src="${DOCS_ASSETS_PATH}/start.js" defer></script>
</head>
<body>
<div id="swagger-ui" data-spec-url="${OPENAPI_PATH}"></div>
</body>
</html>
`;

export interface DocsAsset {
  body: string;
  contentType: string;
}

export const DOCS_ASSETS: Readonly<Record<string, DocsAsset>> = {
  "swagger-ui-bundle.js": { body: swaggerUiBundle, contentType: "text/javascript; charset=utf-8" },
  "swagger-ui.css": { body: swaggerUiCss, contentType: "text/css; charset=utf-8" },
  "start.js": { body: START_SCRIPT, contentType: "text/javascript; charset=utf-8" },
};
