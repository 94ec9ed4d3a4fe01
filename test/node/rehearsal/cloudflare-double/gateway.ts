// workers.dev and Custom Domains stand-in: a request naming `<script>.<account subdomain>.workers.dev`, or a hostname
// attached to a script, reaches that script's edge port.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Account } from "./account.ts";
import type { Edge } from "./edge.ts";

/** The header carrying the workers.dev hostname a request was meant for (set by the network guard and tests). */
export const GATEWAY_HOST_HEADER = "x-cloudflare-double-host";

const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "host", "content-length", GATEWAY_HOST_HEADER];

export async function proxyToWorker(
  account: Account,
  edge: Edge,
  hostname: string,
  req: IncomingMessage,
  body: Buffer,
  url: URL,
  res: ServerResponse,
): Promise<void> {
  const suffix = `.${account.subdomain}.workers.dev`;
  const onWorkersDev = account.subdomain !== undefined && hostname.endsWith(suffix);
  const attached = [...account.domains.values()].find((domain) => domain.hostname === hostname)?.service;
  const scriptName = onWorkersDev ? hostname.slice(0, -suffix.length) : attached;
  const script = scriptName ? account.scripts.get(scriptName) : undefined;
  if (!scriptName || !script || (onWorkersDev && !script.subdomain.enabled)) return nothingHere(res, hostname);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.includes(name)) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const method = req.method ?? "GET";
  const response = await edge.fetch(scriptName, `${url.pathname}${url.search}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : new Uint8Array(body),
    redirect: "manual",
  });
  if (!response) return nothingHere(res, hostname);
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.includes(name) && name !== "content-encoding") out[name] = value;
  });
  res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
}

function nothingHere(res: ServerResponse, hostname: string): void {
  res.writeHead(404, { "content-type": "text/plain" }).end(`There is nothing here yet: ${hostname}`);
}
