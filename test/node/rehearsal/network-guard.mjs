// Preloaded (NODE_OPTIONS=--import) into every process a rehearsal spawns: `*.workers.dev` goes to the Cloudflare
// double's gateway, loopback passes, and any other host is refused, so a rehearsal can never reach the internet.
const gateway = process.env.CLOUDFLARE_DOUBLE_GATEWAY;
const HOST_HEADER = "x-cloudflare-double-host";
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const realFetch = globalThis.fetch;

globalThis.fetch = function guardedFetch(input, init) {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (LOOPBACK.has(url.hostname)) return realFetch(input, init);
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  if (!gateway || !url.hostname.endsWith(".workers.dev")) {
    return Promise.reject(new TypeError(`network-guard: refused ${method} ${url.href}: rehearsals stay on loopback.`));
  }
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  headers.set(HOST_HEADER, url.hostname);
  const target = new URL(`${url.pathname}${url.search}`, gateway);
  if (input instanceof Request) return realFetch(new Request(target, input), { ...init, headers });
  return realFetch(target, { ...init, headers });
};
