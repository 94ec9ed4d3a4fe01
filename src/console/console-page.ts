// The console's page (/): a shell that loads the app bundled from web/console and served as static
// assets (infra/assets). The Worker sends it so the page gets the CSP and the edge's security headers.

export const CONSOLE_PATH = "/";
export const CONSOLE_ASSETS_PATH = "/console";

/**
 * Only this origin, no inline script or style, no eval. `connect-src 'self'` covers the API and the
 * session WebSockets (same host); nothing can be framed, posted elsewhere or loaded from a CDN.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Session console</title>
<link rel="icon" href="${CONSOLE_ASSETS_PATH}/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${CONSOLE_ASSETS_PATH}/app.css">
<script type="module" src="${CONSOLE_ASSETS_PATH}/app.js"></script>
</head>
<body>
<div id="app"><noscript>The session console needs JavaScript.</noscript></div>
</body>
</html>
`;
