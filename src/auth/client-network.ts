// The client network a request comes from, as brute-force limits count it: an IPv4 address, or the
// /64 prefix of an IPv6 one (one subscriber typically holds a whole /64).
const IPV6_GROUP = /^[0-9a-f]{1,4}$/i;

/** The first four groups of an IPv6 address, expanded; null when it is not one. */
export function ipv6Prefix64(address: string): string | null {
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.every((group) => IPV6_GROUP.test(group))) return null;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

/**
 * Cloudflare sets CF-Connecting-IP on every request; without it (never in production) all such
 * requests share one bucket. IPv4-mapped and other dotted forms count as the IPv4 address.
 */
export function clientNetwork(request: Request): string {
  const ip = request.headers.get("cf-connecting-ip")?.trim().toLowerCase();
  if (!ip) return "unknown";
  if (ip.includes(".")) return ip.slice(ip.lastIndexOf(":") + 1);
  return ipv6Prefix64(ip) ?? ip;
}
