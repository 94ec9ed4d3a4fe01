// Body defects for one operation: wrong content types, broken and hostile JSON, oversize bodies, and
// per property wrong types, missing, empty, too long, Unicode edge cases and deep nesting.
import type { Prng } from "../../../helpers/prng.ts";
import { UNICODE_EDGE_CASES } from "../../helpers/unicode.ts";
import type { CaseDraft, Expectation, FuzzContext } from "./cases.ts";
import { isType, type Schema, typeMatches } from "./openapi.ts";
import { ANY_TYPE, DEEP_NESTING, deepArrayText, deepObjectText } from "./values.ts";

const WRONG_CONTENT_TYPES: readonly { value: string; expect: Expectation }[] = [
  { value: "", expect: 415 }, // no Content-Type at all
  { value: "text/plain", expect: 415 },
  { value: "application/x-www-form-urlencoded", expect: 415 },
  { value: "multipart/form-data; boundary=fuzz", expect: 415 },
  { value: "application/xml", expect: 415 },
  { value: "application/json-seq", expect: 415 },
  { value: "APPLICATION/JSON", expect: "either" },
  { value: "application/json; charset=utf-16", expect: "either" },
];

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Printable noise, 16 to 80 characters. */
function garbage(rng: Prng): string {
  const length = rng.int(16, 80);
  return Array.from({ length }, () => String.fromCharCode(rng.int(0x21, 0x7e))).join("");
}

function syntaxCases(valid: string, rng: Prng): CaseDraft[] {
  const cut = (at: number) => valid.slice(0, Math.max(1, Math.min(valid.length - 1, at)));
  const texts: { name: string; text: string; expect?: Expectation }[] = [
    { name: "empty", text: "" },
    { name: "a lone brace", text: "{" },
    { name: "truncated early", text: cut(rng.int(1, Math.floor(valid.length / 2))) },
    { name: "truncated late", text: cut(rng.int(Math.floor(valid.length / 2), valid.length - 1)) },
    { name: "trailing garbage", text: `${valid}}}` },
    { name: "null", text: "null" },
    { name: "an array", text: "[]" },
    { name: "a string", text: '"text"' },
    { name: "a number", text: "42" },
    { name: "single quotes", text: "{'a': 1}" },
    { name: "NaN", text: '{"a": NaN}' },
    { name: "a byte order mark first", text: `\ufeff${valid}`, expect: "either" },
    { name: `an object nested ${DEEP_NESTING} deep`, text: deepObjectText() },
    { name: `an array nested ${DEEP_NESTING} deep`, text: deepArrayText() },
    ...[1, 2, 3].map((n) => {
      const text = garbage(rng);
      return { name: `random noise ${n}`, text, expect: (parses(text) ? "either" : 400) as Expectation };
    }),
  ];
  return texts.map(({ name, text, expect }) => ({
    defect: `body: ${name}`,
    url: "",
    headers: {},
    body: text,
    // Text that is not JSON is 400; JSON of the wrong shape is 422.
    expect: expect ?? (parses(text) ? 422 : 400),
  }));
}

/** The body with one property's JSON text replaced by `text` (so values JSON.stringify cannot make fit). */
function withPropertyText(body: Record<string, unknown>, property: string, text: string): string {
  const marker = `\u0000fuzz-${property}\u0000`;
  return JSON.stringify({ ...body, [property]: marker }).replace(JSON.stringify(marker), () => text);
}

function propertyCases(name: string, schema: Schema, required: boolean, body: Record<string, unknown>): CaseDraft[] {
  const cases: { defect: string; text: string; expect: Expectation }[] = [];
  const set = (defect: string, value: unknown, expect: Expectation) =>
    cases.push({ defect, text: JSON.stringify({ ...body, [name]: value }), expect });
  const splice = (defect: string, text: string, expect: Expectation) =>
    cases.push({ defect, text: withPropertyText(body, name, text), expect });

  for (const value of ANY_TYPE) {
    if (!typeMatches(schema, value)) set(`wrong type ${JSON.stringify(value)}`, value, 422);
  }
  const { [name]: _removed, ...without } = body;
  if (required) cases.push({ defect: "missing", text: JSON.stringify(without), expect: 422 });
  splice(`nested ${DEEP_NESTING} deep`, deepObjectText(), 422);
  if (isType(schema, "integer") || isType(schema, "number")) {
    splice("1e400 (parses as Infinity)", "1e400", 422);
    splice("a fraction", "1.5", isType(schema, "integer") ? 422 : "either");
    splice("beyond 2^53", "9007199254740993", "either");
    splice("negative zero", "-0", "either");
  }
  if (isType(schema, "string")) {
    const constrained = Boolean(schema.enum || schema.format || schema.pattern);
    set("empty string", "", constrained || (schema.minLength ?? 0) > 0 ? 422 : "either");
    if (schema.maxLength !== undefined) set("over maxLength", "a".repeat(schema.maxLength + 1), 422);
    set("40,000 characters", "a".repeat(40_000), schema.maxLength !== undefined ? 422 : "either");
    for (const { name: edge, value } of UNICODE_EDGE_CASES)
      set(`unicode: ${edge}`, value, constrained ? 422 : "either");
  }
  if (isType(schema, "object")) {
    set("an own __proto__ key", JSON.parse('{"__proto__": {"polluted": true}}'), "either");
    set("a lone surrogate in a key", { "k\ud800": 1 }, "either");
    set("3,000 keys", Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, i])), "either");
  }
  return cases.map(({ defect, text, expect }) => ({
    defect: `body.${name}: ${defect}`,
    url: "",
    headers: {},
    body: text,
    expect,
  }));
}

export function bodyCases(schema: Schema, body: Record<string, unknown>, ctx: FuzzContext, rng: Prng): CaseDraft[] {
  const valid = JSON.stringify(body);
  const strict = schema.additionalProperties === false;
  const required = new Set(schema.required ?? []);
  const cases: CaseDraft[] = [
    ...WRONG_CONTENT_TYPES.map(({ value, expect }) => ({
      defect: `content type ${JSON.stringify(value || "(none)")}`,
      url: "",
      headers: { "content-type": value },
      body: valid,
      expect,
    })),
    ...syntaxCases(valid, rng),
    {
      defect: "body: an empty object",
      url: "",
      headers: {},
      body: "{}",
      expect: required.size > 0 ? 422 : "either",
    },
  ];

  const extra = (defect: string, text: string) =>
    cases.push({ defect: `body: ${defect}`, url: "", headers: {}, body: text, expect: strict ? 422 : "either" });
  extra("an undocumented field", valid.replace(/^\{/, '{"fuzz":1,'));
  extra("an own __proto__ field", valid.replace(/^\{/, '{"__proto__":{"polluted":true},'));
  extra("a constructor field", valid.replace(/^\{/, '{"constructor":{"prototype":{"polluted":true}},'));
  const first = Object.keys(body)[0];
  if (first !== undefined) {
    const duplicate = valid.replace(/^\{/, `{${JSON.stringify(first)}:42,`);
    cases.push({ defect: `body: ${first} given twice`, url: "", headers: {}, body: duplicate, expect: "either" });
  }

  const stringProperty = Object.entries(schema.properties ?? {}).find(([, p]) => isType(p, "string") && !p.enum);
  // A body without free text (enums only) is padded with JSON whitespace instead: still valid, one byte too big.
  const oversize = stringProperty
    ? JSON.stringify({
        ...body,
        [stringProperty[0]]: "a".repeat(
          ctx.maxBodyBytes + 1 - valid.length + JSON.stringify(body[stringProperty[0]]).length - 2,
        ),
      })
    : `${" ".repeat(ctx.maxBodyBytes + 1 - valid.length)}${valid}`;
  cases.push({
    defect: `body: one byte over MAX_BODY_BYTES (${oversize.length} bytes)`,
    url: "",
    headers: {},
    body: oversize,
    expect: 413,
  });
  cases.push({
    defect: "body: over MAX_BODY_BYTES, streamed without a length",
    url: "",
    headers: {},
    body: { stream: oversize },
    expect: 413,
  });

  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    cases.push(...propertyCases(name, property, required.has(name), body));
  }
  return cases;
}
