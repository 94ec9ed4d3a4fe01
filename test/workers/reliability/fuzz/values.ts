// Values for the fuzzer: a valid example for any schema in the document, and the hostile catalogue
// (wrong types, deep nesting, bad ids; Unicode edge cases are in helpers/unicode.ts) it swaps in.

import { config } from "../../helpers/config.ts";
import { isType, type Schema } from "./openapi.ts";

/** Supplies what a schema alone cannot: existing ids, a real user's email, fresh unique emails. */
export interface ValueSource {
  email(): string;
  /** A value for a property of a route's body that must name something real (or null: generate). */
  override(route: string, property: string): unknown;
}

/** A value the schema accepts. */
export function example(schema: Schema, name: string, source: ValueSource, route: string): unknown {
  const given = source.override(route, name);
  if (given !== null) return given;
  if (schema.enum) return schema.enum[0];
  if (isType(schema, "string")) {
    if (schema.format === "email") return source.email();
    if (schema.pattern) throw new Error(`${route}: no example for patterned property ${name}; add an override`);
    const min = Math.max(schema.minLength ?? 1, 1);
    const text = `fuzz ${name}`.padEnd(min, "x");
    return schema.maxLength === undefined ? text : text.slice(0, schema.maxLength);
  }
  if (isType(schema, "integer") || isType(schema, "number")) return schema.minimum ?? 1;
  if (isType(schema, "boolean")) return true;
  if (isType(schema, "array")) return schema.items ? [example(schema.items, name, source, route)] : [];
  if (isType(schema, "object") || schema.properties) {
    if (!schema.properties) return { fuzz: "value" };
    return Object.fromEntries(
      Object.entries(schema.properties).map(([key, property]) => [key, example(property, key, source, route)]),
    );
  }
  throw new Error(`${route}: no example for ${name} (${JSON.stringify(schema)})`);
}

/** One value of each JSON type; the fuzzer uses those the schema does not allow. */
export const ANY_TYPE: readonly unknown[] = [42, -1.5, true, null, [], {}, "text", [1, "two"], { nested: { a: 1 } }];

/**
 * `{"a":{"a":…}}` this deep: more than any recursive parser or validator should be trusted with, yet (6 bytes a level)
 * under MAX_BODY_BYTES with room for the rest of the body, so the nesting is what gets refused, not the size.
 */
export const DEEP_NESTING = Math.min(10_000, Math.floor((config.MAX_BODY_BYTES - 1024) / 6));
export const deepObjectText = (depth = DEEP_NESTING) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
export const deepArrayText = (depth = DEEP_NESTING) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

/** Path ids no route should resolve. `raw` ones go into the URL as they are (already encoded or broken). */
export const BAD_IDS: readonly { name: string; value: string; raw?: boolean }[] = [
  { name: "a single character", value: "x" },
  { name: "2,000 characters", value: "a".repeat(2_000) },
  { name: "a percent-encoded lone surrogate", value: "%ED%A0%80", raw: true },
  { name: "a broken percent escape", value: "%", raw: true },
  { name: "an invalid UTF-8 byte", value: "%FF", raw: true },
  { name: "an encoded NUL", value: "%00", raw: true },
  { name: "an encoded slash", value: "a%2Fb", raw: true },
  { name: "dot-dot", value: "..", raw: true },
  { name: "unicode", value: "s\u00e9s-\u{1f600}" },
  { name: "a right-to-left override", value: "\u202eabc" },
  { name: "SQL", value: "' OR '1'='1" },
  { name: "__proto__", value: "__proto__" },
  { name: "constructor", value: "constructor" },
  { name: "null", value: "null" },
];

/** The same id with its last character changed: the right shape, naming nothing. */
export function lookalike(id: string): string {
  const last = id.at(-1) === "A" ? "B" : "A";
  return `${id.slice(0, -1)}${last}`;
}
