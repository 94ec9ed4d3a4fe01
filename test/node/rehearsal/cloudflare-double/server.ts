// The Cloudflare API double: an HTTP server on loopback that alchemy reaches through CLOUDFLARE_BASE_URL.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Account, createAccount } from "./account.ts";
import { d1Routes, type ExecutedQuery } from "./d1-routes.ts";
import { domainRoutes } from "./domain-routes.ts";
import { Edge } from "./edge.ts";
import { CloudflareError, failure, noRoute, type Reply } from "./envelope.ts";
import { GATEWAY_HOST_HEADER, proxyToWorker } from "./gateway.ts";
import { Router } from "./router.ts";
import { type TokenOptions, tokenRoutes } from "./token-routes.ts";
import { ASSETS_UPLOAD, workersRoutes } from "./workers-routes.ts";

export const API_PREFIX = "/client/v4";

export interface RecordedCall {
  method: string;
  path: string;
  /** The route pattern that served it; undefined when the double does not know the call. */
  route: string | undefined;
  status: number;
}

export interface Fault {
  method: string;
  path: RegExp;
  message?: string;
  /** Default 400 / 10013 (a refusal alchemy does not retry); 403 / 10000 is how a token without a permission is refused. */
  status?: number;
  code?: number;
}

export interface CloudflareDouble {
  /** What to put in CLOUDFLARE_BASE_URL. */
  baseUrl: string;
  /** Where the network guard sends *.workers.dev traffic (see network-guard.mjs). */
  gatewayUrl: string;
  account: Account;
  edge: Edge;
  calls: RecordedCall[];
  queries: ExecutedQuery[];
  unknownCalls(): RecordedCall[];
  endpoints(): string[];
  /** Makes matching calls fail (HTTP 400, which alchemy does not retry) until the returned function is called. */
  injectFault(fault: Fault): () => void;
  stop(): Promise<void>;
}

export async function startCloudflareDouble(options: {
  accountId: string;
  apiToken: string;
  /** null: an account that never opened Workers (no workers.dev subdomain). */
  subdomain?: string | null;
  /** Default: an active user token. */
  token?: Partial<TokenOptions>;
  /** Zones on the account, for custom domains. Default: none. */
  zones?: string[];
}): Promise<CloudflareDouble> {
  const root = await mkdtemp(join(tmpdir(), "cloudflare-double-"));
  const account = createAccount(
    options.accountId,
    options.subdomain === null ? undefined : (options.subdomain ?? "rehearsal"),
    options.zones,
  );
  const edge = new Edge(root);
  const calls: RecordedCall[] = [];
  const queries: ExecutedQuery[] = [];
  const faults = new Set<Fault>();
  const router = new Router();
  d1Routes(router, account, edge, queries);
  workersRoutes(router, account, edge);
  domainRoutes(router, account);
  tokenRoutes(router, { owner: "user", status: "active", ...options.token });

  const handleApi = async (req: IncomingMessage, body: Buffer, url: URL): Promise<Reply> => {
    const method = req.method ?? "GET";
    const path = url.pathname.slice(API_PREFIX.length);
    const match = router.match(method, path);
    const record: RecordedCall = { method, path, route: match?.route.pattern, status: 0 };
    calls.push(record);
    const reply = await (async () => {
      try {
        const ownAuth = match?.route.pattern === ASSETS_UPLOAD; // its bearer is an upload session's JWT
        if (!ownAuth && req.headers.authorization !== `Bearer ${options.apiToken}`) {
          throw new CloudflareError(403, 10000, "Authentication error");
        }
        if (!match) throw noRoute(method, path);
        if (match.params.account !== undefined && match.params.account !== options.accountId) {
          throw new CloudflareError(
            403,
            10000,
            `Authentication error: account ${match.params.account} is not this token's.`,
          );
        }
        for (const fault of faults) {
          if (fault.method === method && fault.path.test(path)) {
            throw new CloudflareError(
              fault.status ?? 400,
              fault.code ?? 10013,
              fault.message ?? `Injected failure for ${method} ${path}.`,
            );
          }
        }
        const request = new Request(url, {
          method,
          headers: req.headers as Record<string, string>,
          body: method === "GET" || method === "HEAD" ? undefined : new Uint8Array(body),
        });
        return await match.route.handler({ method, path, params: match.params, query: url.searchParams, request });
      } catch (error) {
        if (error instanceof CloudflareError) return failure(error);
        return failure(new CloudflareError(500, 10001, `Cloudflare double crashed: ${(error as Error).stack}`));
      }
    })();
    record.status = reply.status;
    return reply;
  };

  const server = createServer((req, res) => {
    void respond(req, res).catch((error) => {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    });
  });

  async function respond(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const forwardedHost = req.headers[GATEWAY_HOST_HEADER];
    if (typeof forwardedHost === "string") return proxyToWorker(account, edge, forwardedHost, req, body, url, res);
    if (!url.pathname.startsWith(API_PREFIX)) {
      res.writeHead(404, { "content-type": "text/plain" }).end(`Not the Cloudflare API: ${req.method} ${url.pathname}`);
      return;
    }
    const reply = await handleApi(req, body, url);
    const text = reply.contentType ? String(reply.body) : JSON.stringify(reply.body);
    res.writeHead(reply.status, { "content-type": reply.contentType ?? "application/json" }).end(text);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}${API_PREFIX}`,
    gatewayUrl: `http://127.0.0.1:${port}`,
    account,
    edge,
    calls,
    queries,
    unknownCalls: () => calls.filter((call) => call.route === undefined),
    endpoints: () => router.endpoints(),
    injectFault(fault) {
      faults.add(fault);
      return () => faults.delete(fault);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await edge.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}
