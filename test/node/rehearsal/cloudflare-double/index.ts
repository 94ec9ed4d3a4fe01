// The Cloudflare API double used by the deploy rehearsal: start it, point CLOUDFLARE_BASE_URL at it.
export type { D1Record, ScriptRecord } from "./account.ts";
export { GATEWAY_HOST_HEADER } from "./gateway.ts";
export { type CloudflareDouble, type RecordedCall, startCloudflareDouble } from "./server.ts";
