// The /docs page: Swagger UI from the pinned swagger-ui-dist package, served as this Worker's static
// assets (infra/assets), started by a script file (no inline script), under a CSP that allows only this origin.

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

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API docs</title>
<link rel="icon" href="/console/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
<script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js" defer></script>
<script src="${DOCS_ASSETS_PATH}/start.js" defer></script>
</head>
<body>
<div id="swagger-ui" data-spec-url="${OPENAPI_PATH}"></div>
</body>
</html>
`;
