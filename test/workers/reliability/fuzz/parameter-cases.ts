// Defects outside the body: credentials, path ids, query values and header values, each judged
// against the parameter's schema (a value the schema refuses must be rejected).
import { UNICODE_EDGE_CASES } from "../../helpers/unicode.ts";
import type { CaseDraft, Expectation, FuzzContext } from "./cases.ts";
import { isType, type Operation, type Parameter, type Schema, violates } from "./openapi.ts";
import { BAD_IDS, lookalike } from "./values.ts";

interface Bad {
  name: string;
  value: string;
  expect: Expectation;
}

/** Credentials that must all get 401 (the base request's valid token replaced or removed). */
export function authCases(ctx: FuzzContext): CaseDraft[] {
  const set = (defect: string, authorization?: string) => ({ defect, authorization });
  const variants = [
    set("no credentials"),
    set("a bare Bearer", "Bearer"),
    set("a garbage token", "Bearer not-a-token"),
    set("Basic auth", "Basic dXNlcjpwYXNz"),
    set("an unknown token of the right shape", `Bearer sat_${"A".repeat(43)}`),
    set("a 10,000-character token", `Bearer ${"x".repeat(10_000)}`),
    set("a revoked token", `Bearer ${ctx.revokedToken}`),
  ];
  return variants.map(({ defect, authorization }) => ({
    defect: `credentials: ${defect}`,
    url: "",
    headers: authorization === undefined ? { authorization: "" } : { authorization },
    expect: 401,
  }));
}

/** Ids that name nothing here; `raw` ones go into the URL unencoded. All must be refused. */
export function pathValues(
  op: Operation,
  param: Parameter,
  ctx: FuzzContext,
): { name: string; value: string; raw?: boolean }[] {
  const valid = ctx.pathValue(op, param.name);
  return [
    { name: "empty", value: "" },
    ...BAD_IDS,
    { name: "a lookalike of a real id", value: lookalike(valid) },
    { name: "a real id with a trailing slash", value: `${valid}/`, raw: true },
    ...ctx.foreignIds(op, param.name),
  ];
}

/** Each candidate is refused (with `status` when given) if the schema forbids it, else it may pass. */
const judged = (schema: Schema, status: 422 | "reject", candidates: { name: string; value: string }[]): Bad[] =>
  candidates.map((candidate) => ({ ...candidate, expect: violates(schema, candidate.value) ? status : "either" }));

/** `%` alone is sent as is: a broken escape. Integers are coerced from text, so "" and "0x1F" may pass. */
export function queryValues(schema: Schema): Bad[] {
  const broken = { name: "a broken percent escape", value: "%", expect: "either" } as const;
  const unicode = UNICODE_EDGE_CASES.slice(0, 4);
  if (!isType(schema, "integer")) {
    const tooLong =
      schema.maxLength === undefined ? [] : [{ name: "over maxLength", value: "a".repeat(schema.maxLength + 1) }];
    return [
      broken,
      ...judged(schema, "reject", [
        { name: "empty", value: "" },
        { name: "not a keyword", value: "TRUEX" },
        ...unicode,
        ...tooLong,
      ]),
    ];
  }
  const values: Bad[] = [
    broken,
    { name: "empty", value: "", expect: "either" },
    { name: "beyond 2^53", value: "99999999999999999999999", expect: "either" },
    { name: "hexadecimal", value: "0x1F", expect: "either" },
    ...[...unicode, { name: "not a number", value: "abc" }, { name: "a fraction", value: "1.5" }].map(
      (bad) => ({ ...bad, expect: "reject" }) as const,
    ),
    { name: "infinity", value: "1e999", expect: "reject" },
  ];
  if (schema.minimum !== undefined)
    values.push({ name: "below the minimum", value: String(schema.minimum - 1), expect: "reject" });
  if (schema.maximum !== undefined)
    values.push({ name: "above the maximum", value: String(schema.maximum + 1), expect: "reject" });
  return values;
}

export function headerValues(schema: Schema): Bad[] {
  return judged(schema, 422, [
    { name: "empty", value: "" },
    { name: "a space inside", value: "a b" },
    { name: "a Latin-1 character", value: "caf\u00e9" },
    { name: "a tab", value: "a\tb" },
    { name: "256 characters", value: "k".repeat(256) },
    { name: "4,096 characters", value: "k".repeat(4_096) },
  ]);
}
