// What Cloudflare's SDK (`cloudflare`, whose types are generated from Cloudflare's API description) parses out of the
// double's answers. The double builds those answers through `sdkShaped`, so `npm run typecheck` fails when one
// drifts from the SDK's types: a renamed or mistyped field, a missing required one, an unknown enum value.

import type { TokenVerifyResponse as AccountTokenVerify } from "cloudflare/resources/accounts/tokens/tokens";
import type { DatabaseListResponse, QueryResult } from "cloudflare/resources/d1/database/database";
import type { TimeTravelGetBookmarkResponse } from "cloudflare/resources/d1/database/time-travel";
import type { Namespace } from "cloudflare/resources/durable-objects/namespaces/namespaces";
import type { TokenVerifyResponse as UserTokenVerify } from "cloudflare/resources/user/tokens/tokens";
import type { ScriptAndVersionSettingGetResponse } from "cloudflare/resources/workers/scripts/script-and-version-settings";
import type { ScriptListResponse } from "cloudflare/resources/workers/scripts/scripts";
import type { SubdomainGetResponse, SubdomainUpdateResponse } from "cloudflare/resources/workers/subdomains";

/** The `result` of each call the project makes through the SDK, by the double's route. */
export interface SdkResults {
  "GET workers/scripts": ScriptListResponse;
  "GET workers/scripts/:name/settings": ScriptAndVersionSettingGetResponse;
  "GET workers/subdomain": SubdomainGetResponse;
  "PUT workers/subdomain": SubdomainUpdateResponse;
  "GET workers/durable_objects/namespaces": Namespace;
  "GET d1/database": DatabaseListResponse;
  "POST d1/database/:uuid/query": QueryResult;
  "GET d1/database/:uuid/time_travel/bookmark": TimeTravelGetBookmarkResponse;
  "GET user/tokens/verify": UserTokenVerify;
  "GET accounts/tokens/verify": AccountTokenVerify;
}

/**
 * Returns its argument, which the compiler checks is assignable to the SDK's type for that call. An object literal
 * is also checked for fields the SDK does not know; a value built elsewhere may carry fields Cloudflare sends
 * beyond the SDK's types (alchemy reads some).
 */
export function sdkShaped<K extends keyof SdkResults>(_call: K, value: SdkResults[K]): SdkResults[K] {
  return value;
}
