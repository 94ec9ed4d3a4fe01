// Fuzz cases from the OpenAPI document: for every operation, a valid request with exactly one defect
// (method, credentials, path id, query, header, or body: see body-cases.ts). Deterministic for a seed.
import type { Prng } from "../../../helpers/prng.ts";
import { bodyCases } from "./body-cases.ts";
import { HTTP_METHODS, type Operation } from "./openapi.ts";
import { authCases, headerValues, pathValues, queryValues } from "./parameter-cases.ts";
import { example, type ValueSource } from "./values.ts";

/**
 * `reject`: the request is malformed, so it must get a 4xx. A status: it must get exactly that one
 * (where the API's contract names it: 400 unparseable JSON, 401, 405, 413, 415, 422). `either`: it
 * may also be accepted.
 */
export type Expectation = "reject" | "either" | 400 | 401 | 405 | 413 | 415 | 422;

export interface FuzzCase {
  /** `METHOD /documented/path`. */
  route: string;
  defect: string;
  method: string;
  /** Path and query, encoded. */
  url: string;
  headers: Record<string, string>;
  /** Text, or text sent as a stream (no Content-Length). */
  body?: string | { stream: string };
  expect: Expectation;
}

export interface FuzzContext extends ValueSource {
  token: string;
  /** A token of the same user that was logged out. */
  revokedToken: string;
  /** A real id for the parameter: the request reaches the resource. */
  pathValue(op: Operation, name: string): string;
  /** Real ids the route must still refuse (someone else's session, an id of another kind). */
  foreignIds(op: Operation, name: string): { name: string; value: string }[];
  maxBodyBytes: number;
}

export type CaseDraft = Omit<FuzzCase, "route" | "method"> & { method?: string };

/** The request every defect starts from: valid path ids, credentials, headers and body. */
export function baseRequest(op: Operation, ctx: FuzzContext) {
  const route = `${op.method} ${op.path}`;
  const params = Object.fromEntries(
    op.parameters.filter((p) => p.in === "path").map((p) => [p.name, ctx.pathValue(op, p.name)]),
  );
  const headers: Record<string, string> = {};
  if (op.secured) headers.authorization = `Bearer ${ctx.token}`;
  if (op.upgrade) headers.upgrade = "websocket";
  // Optional headers stay out of the base request (their defects add them); a required one has no fixture.
  const required = op.parameters.find((p) => p.in === "header" && p.required);
  if (required) throw new Error(`${route}: the fuzzer has no value for the required header ${required.name}`);
  let body: Record<string, unknown> | undefined;
  if (op.body) {
    headers["content-type"] = "application/json";
    body = example(op.body.schema, "body", ctx, route) as Record<string, unknown>;
  }
  return { route, params, headers, body };
}

/** encodeURIComponent, except that lone surrogates (which it refuses) become their WTF-8 bytes. */
export function percentEncode(text: string): string {
  let out = "";
  for (const char of text) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join("");
    } else out += encodeURIComponent(char);
  }
  return out;
}

export function fillPath(path: string, params: Record<string, string>, raw: ReadonlySet<string> = new Set()): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${path}`);
    return raw.has(name) ? value : percentEncode(value);
  });
}

/** Every case for one operation. */
export function operationCases(op: Operation, ctx: FuzzContext, rng: Prng): FuzzCase[] {
  const base = baseRequest(op, ctx);
  const path = fillPath(op.path, base.params);
  const bodyText = base.body === undefined ? undefined : JSON.stringify(base.body);
  const drafts: CaseDraft[] = [];
  if (op.secured) drafts.push(...authCases(ctx));
  for (const param of op.parameters) {
    if (param.in === "path") {
      for (const bad of pathValues(op, param, ctx)) {
        const params = { ...base.params, [param.name]: bad.value };
        const raw = new Set(bad.raw ? [param.name] : []);
        drafts.push({
          defect: `path ${param.name}: ${bad.name}`,
          url: fillPath(op.path, params, raw),
          headers: {},
          expect: "reject",
        });
      }
    } else if (param.in === "query") {
      for (const bad of queryValues(param.schema)) {
        const query = `${param.name}=${bad.value === "%" ? "%" : percentEncode(bad.value)}`;
        drafts.push({
          defect: `query ${param.name}: ${bad.name}`,
          url: `${path}?${query}`,
          headers: {},
          expect: bad.expect,
        });
      }
      drafts.push({
        defect: `query ${param.name}: given twice`,
        url: `${path}?${param.name}=1&${param.name}=2`,
        headers: {},
        expect: "either",
      });
    } else if (param.in === "header") {
      for (const bad of headerValues(param.schema)) {
        drafts.push({
          defect: `header ${param.name}: ${bad.name}`,
          url: "",
          headers: { [param.name]: bad.value },
          expect: bad.expect,
        });
      }
    }
  }
  if (op.method === "GET")
    drafts.push({ defect: "an undocumented query parameter", url: `${path}?fuzz=1`, headers: {}, expect: "either" });
  if (op.body && base.body !== undefined) drafts.push(...bodyCases(op.body.schema, base.body, ctx, rng));

  return drafts.map((draft) => {
    const headers = { ...base.headers, ...draft.headers };
    if (headers.authorization === "") delete headers.authorization;
    if (headers["content-type"] === "") delete headers["content-type"];
    const body = draft.body ?? bodyText;
    return { ...draft, route: base.route, method: draft.method ?? op.method, url: draft.url || path, headers, body };
  });
}

/** One case per path: a method the path does not document. */
export function methodCases(ops: Operation[], ctx: FuzzContext): FuzzCase[] {
  const byPath = new Map<string, Operation[]>();
  for (const op of ops) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  return [...byPath.values()].flatMap((pathOps) => {
    const first = pathOps[0] as Operation;
    const documented = new Set(pathOps.map((op) => op.method.toLowerCase()));
    const missing = HTTP_METHODS.find((method) => !documented.has(method));
    if (!missing) return [];
    const base = baseRequest(first, ctx);
    return [
      {
        route: `${first.method} ${first.path}`,
        defect: `method ${missing.toUpperCase()} (undocumented)`,
        method: missing.toUpperCase(),
        url: fillPath(first.path, base.params),
        headers: { ...(first.secured ? { authorization: `Bearer ${ctx.token}` } : {}) },
        expect: 405 as const,
      },
    ];
  });
}
