// Zones and Workers Custom Domains: the zone lookup alchemy makes from a hostname, and attaching a hostname to a
// Worker (refused for a hostname outside the zone, a missing Worker, or one bound to another Worker).
import type { Account, CustomDomainRecord } from "./account.ts";
import { CloudflareError, success } from "./envelope.ts";
import type { Router } from "./router.ts";

const DOMAINS = "/accounts/:account/workers/domains";

export function domainRoutes(router: Router, account: Account): void {
  const zone = (name: string, id: string) => ({
    id,
    name,
    type: "full",
    status: "active",
    account: { id: account.id },
  });

  router.on("GET", "/zones", (call) => {
    const name = call.query.get("name");
    const zones = [...account.zones].filter(([zoneName]) => name === null || zoneName === name);
    return success(zones.map(([zoneName, id]) => zone(zoneName, id)));
  });

  router.on("GET", DOMAINS, () => success([...account.domains.values()]));

  // An upsert, as on Cloudflare: the same hostname and zone keep their id.
  router.on("PUT", DOMAINS, async (call) => {
    const body = (await call.request.json()) as Record<string, unknown>;
    const hostname = String(body.hostname ?? "");
    const service = String(body.service ?? "");
    const zoneName = [...account.zones].find(([, id]) => id === body.zone_id)?.[0];
    if (!zoneName) throw new CloudflareError(404, 1001, `Zone '${String(body.zone_id)}' is not on this account.`);
    if (hostname !== zoneName && !hostname.endsWith(`.${zoneName}`)) {
      throw new CloudflareError(400, 100117, `Hostname '${hostname}' is not in zone '${zoneName}'.`);
    }
    if (!account.scripts.has(service))
      throw new CloudflareError(404, 10007, "This Worker does not exist on your account.");
    const existing = [...account.domains.values()].find((domain) => domain.hostname === hostname);
    if (existing && existing.service !== service && body.override_existing_origin !== true) {
      throw new CloudflareError(
        409,
        100117,
        `Hostname '${hostname}' is already attached to Worker '${existing.service}'.`,
      );
    }
    const record: CustomDomainRecord = {
      id: existing?.id ?? crypto.randomUUID().replaceAll("-", ""),
      hostname,
      service,
      zone_id: String(body.zone_id),
      zone_name: zoneName,
      environment: String(body.environment ?? "production"),
    };
    account.domains.set(record.id, record);
    return success(record);
  });

  router.on("DELETE", `${DOMAINS}/:id`, (call) => {
    if (!account.domains.delete(call.params.id as string)) {
      throw new CloudflareError(404, 100116, "Domain not found.");
    }
    return success(null);
  });
}
