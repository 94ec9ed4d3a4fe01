// A small method + path-pattern router for the double: `/accounts/:account/d1/database/:uuid`.
import type { Reply } from "./envelope.ts";

export interface Call {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  request: Request;
}

export type Handler = (call: Call) => Reply | Promise<Reply>;

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  handler: Handler;
}

export class Router {
  readonly #routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): this {
    const keys: string[] = [];
    const source = pattern.replace(/:([a-zA-Z]+)/g, (_, key: string) => {
      keys.push(key);
      return "([^/]+)";
    });
    this.#routes.push({ method, pattern, regex: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  /** The matching route and its parameters, or undefined when the double does not know the call. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      const params = Object.fromEntries(route.keys.map((key, i) => [key, decodeURIComponent(found[i + 1] ?? "")]));
      return { route, params };
    }
    return undefined;
  }

  /** Every `METHOD pattern` served, for the report and the README. */
  endpoints(): string[] {
    return this.#routes.map((route) => `${route.method} ${route.pattern}`);
  }
}
