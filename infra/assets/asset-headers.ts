// Headers Cloudflare adds to static asset responses (the `_headers` file): the Worker's own
// security defaults (src/http/edge-headers.ts), which assets served before the Worker never get.
export const ASSET_HEADERS = `/*
  X-Content-Type-Options: nosniff
  Cross-Origin-Resource-Policy: same-origin
  Referrer-Policy: no-referrer
  Strict-Transport-Security: max-age=15552000; includeSubDomains
`;
