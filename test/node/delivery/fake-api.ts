// An in-memory stand-in for the GitHub and Cloudflare REST APIs, passed to the delivery code as its fetch.
import type { Fetch } from "../../../infra/vendors/github-api.ts";

export interface Call {
  method: string;
  url: URL;
  body: unknown;
  authorization?: string;
}

/**
 * Answers `METHOD /path` (query ignored) with the handler's JSON (or the Response it returns, for a refusal); page 2
 * and later of a listing are empty.
 */
export function fakeApi(routes: Record<string, (call: Call) => unknown>) {
  const calls: Call[] = [];
  const fetch: Fetch = async (input, init) => {
    const url = new URL(input);
    const method = init?.method ?? "GET";
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    const authorization = new Headers(init?.headers).get("authorization") ?? undefined;
    const call = { method, url, body, authorization };
    calls.push(call);
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) return answeredFrom(url, new Response(JSON.stringify({ message: "Not Found" }), { status: 404 }));
    const page = Number(url.searchParams.get("page") ?? "1");
    const result = page > 1 ? emptyPage(handler(call)) : handler(call);
    if (result instanceof Response) return answeredFrom(url, result);
    const json = new Response(JSON.stringify(result), { status: 200, headers: { "content-type": "application/json" } });
    return answeredFrom(url, json);
  };
  return { fetch, calls };
}

/** A fetched Response carries its URL (Octokit's paginator reads it); one built by hand has "". */
function answeredFrom(url: URL, response: Response): Response {
  Object.defineProperty(response, "url", { value: url.href });
  return response;
}

function emptyPage(result: unknown): unknown {
  if (Array.isArray(result)) return [];
  if (result && typeof result === "object") {
    return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, Array.isArray(v) ? [] : v]));
  }
  return result;
}

/** Cloudflare's `{ success, result }` envelope. */
export const cf = (result: unknown) => ({ success: true, errors: [], result });

export const CF_BASE = "http://cloudflare.test/client/v4";
export const GH_BASE = "http://github.test/api/v3";
export const ACCOUNT = "0123456789abcdef0123456789abcdef";

/** The Cloudflare listings of an account holding these Workers and D1 databases. */
export function cloudflareRoutes(account: { workers: string[]; databases: string[] }) {
  return {
    [`GET /client/v4/accounts/${ACCOUNT}/workers/scripts`]: () => cf(account.workers.map((id) => ({ id }))),
    [`GET /client/v4/accounts/${ACCOUNT}/d1/database`]: () =>
      cf(account.databases.map((name, i) => ({ name, uuid: `uuid-${i}` }))),
    [`GET /client/v4/accounts/${ACCOUNT}/workers/durable_objects/namespaces`]: () =>
      cf(
        account.workers.map((script, i) => ({
          id: `ns-${i}`,
          name: `${script}_SessionDO`,
          script,
          class: "SessionDO",
        })),
      ),
  };
}

export const deployEnv = {
  CLOUDFLARE_API_TOKEN: "test-token",
  CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
  CLOUDFLARE_BASE_URL: CF_BASE,
  GITHUB_API_URL: GH_BASE,
  GITHUB_TOKEN: "gh-token",
  GITHUB_REPOSITORY: "acme/api",
};
