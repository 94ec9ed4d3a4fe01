// The token-verify endpoints of the double: who owns the token (a user or the account) and its status.
import { CloudflareError, success } from "./envelope.ts";
import type { Router } from "./router.ts";
import { sdkShaped } from "./sdk-types.ts";

export type TokenStatus = "active" | "disabled" | "expired";

export interface TokenOptions {
  /** A user token verifies at /user/tokens/verify, an account-owned one at /accounts/:id/tokens/verify only. */
  owner: "user" | "account";
  status: TokenStatus;
}

/** What Cloudflare answers a verify call made with a token of the other kind (code 1000, "Invalid API Token"). */
function invalidToken(): CloudflareError {
  return new CloudflareError(401, 1000, "Invalid API Token");
}

export function tokenRoutes(router: Router, token: TokenOptions): void {
  const verified = { id: "0123456789abcdef0123456789abcdef", status: token.status };
  router.on("GET", "/user/tokens/verify", () => {
    if (token.owner !== "user") throw invalidToken();
    return success(sdkShaped("GET user/tokens/verify", verified));
  });
  router.on("GET", "/accounts/:account/tokens/verify", () => {
    if (token.owner !== "account") throw invalidToken();
    return success(sdkShaped("GET accounts/tokens/verify", verified));
  });
}
