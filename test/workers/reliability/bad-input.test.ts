// Bad input, generated from the live /openapi.json: every documented operation gets a valid request
// with one defect at a time (fuzz/cases.ts). Every answer is below 500; every 4xx is in the error
// model with a status, code and headers the operation declares; a malformed request is never
// accepted; a rejected one changes nothing (fuzz/state.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prng } from "../../helpers/prng.ts";
import { call } from "../helpers/auth.ts";
import { asHttpAnswer } from "../helpers/refusals.ts";
import { type FuzzCase, type FuzzContext, methodCases, operationCases } from "./fuzz/cases.ts";
import { contextFor, createFixtures, type Fixtures } from "./fuzz/fixtures.ts";
import { type OpenApiDocument, type Operation, operations } from "./fuzz/openapi.ts";
import { firstDifference, snapshot } from "./fuzz/state.ts";

/** Change it to explore; a failure names the case, and the same seed replays it. */
const SEED = 20_261_126;
const ERROR_CODE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

const doc = (await (await call("/openapi.json")).json()) as OpenApiDocument;
const documented = operations(doc);

/** A stream of unknown length: the request carries no Content-Length, so only reading can tell the size. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 8_192));
      offset += 8_192;
    },
  });
}

function send(fuzz: FuzzCase): Promise<Response> {
  let body: BodyInit | undefined;
  if (typeof fuzz.body === "string") body = fuzz.body;
  else if (fuzz.body) body = chunked(fuzz.body.stream);
  return call(fuzz.url, { method: fuzz.method, headers: fuzz.headers, body });
}

const byRoute = new Map(documented.map((op) => [`${op.method} ${op.path}`, op]));

/** Whether the URL's path fits the route's template at all (`//ws` or `/../ws` reach no operation). */
function reachesRoute(fuzz: FuzzCase): boolean {
  const template = fuzz.route.split(" ")[1] ?? "";
  const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
  return pattern.test(new URL(fuzz.url, "http://x").pathname);
}

/**
 * Whether the answer is what the document promises: its status declared for the operation, its code
 * among those the status lists, and the headers declared for it present. A refused upgrade is
 * described by close codes, not HTTP statuses; an undocumented method gets 405 with `Allow`.
 */
function breachesOfContract(fuzz: FuzzCase, answer: Response, status: number, code: unknown): string[] {
  const problems: string[] = [];
  if (!answer.headers.has("x-request-id")) problems.push(`${status} without x-request-id`);
  if (status < 400 || answer.status === 101) return problems;
  if (fuzz.expect === 405) {
    if (code !== "method_not_allowed" || !answer.headers.get("allow")) problems.push(`405 as ${code}, Allow missing`);
    return problems;
  }
  if (!reachesRoute(fuzz)) return problems;
  const declared = byRoute.get(fuzz.route)?.responses[String(status)];
  if (!declared) return [...problems, `${status} (${code}) is not declared for ${fuzz.route}`];
  if (!declared.codes.includes(String(code))) problems.push(`${status} ${code} is not among ${declared.codes}`);
  for (const header of declared.headers) {
    if (!answer.headers.has(header)) problems.push(`${status} ${code} without its declared ${header} header`);
  }
  return problems;
}

/** What is wrong with the answer to one case (nothing: an empty list). A refused upgrade is read as HTTP. */
async function judge(fuzz: FuzzCase, answer: Response): Promise<{ accepted: boolean; problems: string[] }> {
  const problems: string[] = [];
  const { status, text, contentType } = await asHttpAnswer(answer);
  if (status >= 500) problems.push(`answered ${status}: ${text.slice(0, 200)}`);
  if (fuzz.expect !== "either" && status < 400) problems.push(`accepted a malformed request (${status})`);
  if (typeof fuzz.expect === "number" && status >= 400 && status !== fuzz.expect) {
    problems.push(`answered ${status} where the contract says ${fuzz.expect}: ${text.slice(0, 160)}`);
  }
  if (status >= 400 && status < 500) {
    let body: { error?: { code?: unknown; message?: unknown } } | undefined;
    try {
      body = JSON.parse(text);
    } catch {
      problems.push(`${status} without a JSON body: ${text.slice(0, 120)}`);
    }
    const error = body?.error;
    if (body && (!error || typeof error.code !== "string" || !ERROR_CODE.test(error.code))) {
      problems.push(`${status} outside the error model: ${text.slice(0, 200)}`);
    } else if (body && (typeof error?.message !== "string" || error.message === "")) {
      problems.push(`${status} without an error message: ${text.slice(0, 200)}`);
    }
    if (!contentType?.startsWith("application/json")) {
      problems.push(`${status} with content-type ${contentType}`);
    }
    problems.push(...breachesOfContract(fuzz, answer, status, error?.code));
  }
  return { accepted: status < 400, problems };
}

/** Each operation draws from its own generator, so adding a route does not reshuffle the others. */
function casesFor(op: Operation): FuzzCase[] {
  const seed = [...`${op.method} ${op.path}`].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) | 0, SEED);
  return operationCases(op, context, prng(seed));
}

let fixtures: Fixtures;
let context: FuzzContext;

beforeAll(async () => {
  fixtures = await createFixtures();
  context = contextFor(fixtures);
});

afterAll(() => {
  // `__proto__` and `constructor` fields must never reach a prototype (the tests share the Worker's isolate).
  expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
});

describe("malformed requests to every documented operation", { timeout: 120_000 }, () => {
  it("covers every operation of the document, within a bounded number of requests", () => {
    expect(documented.length).toBeGreaterThanOrEqual(20);
    const counts = documented.map((op) => casesFor(op).length);
    expect(counts.every((count) => count > 0)).toBe(true);
    const total = counts.reduce((sum, count) => sum + count, 0) + methodCases(documented, context).length;
    expect(total).toBeGreaterThan(1_000);
    expect(total).toBeLessThan(4_000);
  });

  it("an undocumented method on each path is refused and changes nothing", async () => {
    const failures = await run(methodCases(documented, context));
    expect(failures).toEqual([]);
  });

  for (const op of documented) {
    it(`${op.method} ${op.path}`, async () => {
      const cases = casesFor(op);
      const failures = await run(cases);
      expect(failures, `seed ${SEED}; ${cases.length} cases`).toEqual([]);
    });
  }
});

/**
 * Sends each case and judges its answer. The state is compared after every case that could write
 * (any method but GET), and once after the last: GETs are checked as a group.
 */
async function run(cases: FuzzCase[]): Promise<string[]> {
  const failures: string[] = [];
  const objects = [fixtures.sessionId, fixtures.strangerSessionId];
  let before = await snapshot(objects);
  let unchecked: FuzzCase[] = [];
  for (const [i, fuzz] of cases.entries()) {
    const { accepted, problems } = await judge(fuzz, await send(fuzz));
    for (const problem of problems) failures.push(`${describeCase(fuzz)}: ${problem}`);
    unchecked.push(fuzz);
    if (fuzz.method === "GET" && i < cases.length - 1) continue;
    const after = await snapshot(objects);
    // Only an accepted write may change anything (a malformed one accepted is already a failure).
    if (after !== before && !(unchecked.length === 1 && accepted)) {
      const culprits = unchecked.map(describeCase).join(" or ");
      failures.push(`${culprits}: changed state: ${firstDifference(before, after)}`);
    }
    before = after;
    unchecked = [];
  }
  return failures;
}

const describeCase = (fuzz: FuzzCase) => `${fuzz.method} ${fuzz.url.slice(0, 100)} [${fuzz.defect}]`;
