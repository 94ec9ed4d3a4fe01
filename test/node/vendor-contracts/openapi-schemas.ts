// JSON Schema validators for GitHub's OpenAPI description (@octokit/openapi): one per operation and status, with
// OpenAPI 3.0's `nullable` turned into JSON Schema so a JSON Schema validator (ajv) reads it as GitHub means it.
import { createRequire } from "node:module";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

type Schema = Record<string, unknown>;
interface Operation {
  operationId: string;
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;
}
interface Description {
  paths: Record<string, Record<string, Operation>>;
  components: Schema;
}

const require = createRequire(import.meta.url);
const description = require("@octokit/openapi/generated/api.github.com.json") as Description;

/** `nullable: true` (OpenAPI 3.0) as JSON Schema: `null` added to the type, or the schema made an alternative. */
function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (!value || typeof value !== "object") return value;
  const { nullable, ...rest } = value as Schema;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, inner]) => [key, toJsonSchema(inner)]));
  if (nullable !== true) return converted;
  if (typeof converted.type === "string") {
    const withNull: Schema = { ...converted, type: [converted.type, "null"] };
    if (Array.isArray(converted.enum)) withNull.enum = [...converted.enum, null];
    return withNull;
  }
  return { anyOf: [converted, { type: "null" }] };
}

const components = toJsonSchema(description.components) as Schema;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);

/** The operation a request matched: its path template filled with `[^/]+`, as GitHub routes. */
export function findOperation(method: string, path: string): { template: string; operation: Operation } | undefined {
  for (const [template, item] of Object.entries(description.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    const operation = item[method.toLowerCase()];
    if (operation && pattern.test(path)) return { template, operation };
  }
  return undefined;
}

const compiled = new Map<string, ValidateFunction | undefined>();

/** The validator of the operation's JSON answer with this status; undefined when GitHub describes none (204). */
export function responseValidator(operation: Operation, status: number): ValidateFunction | undefined {
  const key = `${operation.operationId} ${status}`;
  if (!compiled.has(key)) {
    let response = operation.responses[String(status)];
    if (response?.$ref) response = resolve(response.$ref) as typeof response;
    const schema = response?.content?.["application/json"]?.schema;
    compiled.set(key, schema && ajv.compile({ ...(toJsonSchema(schema) as Schema), components }));
  }
  return compiled.get(key);
}

function resolve(ref: string): unknown {
  return ref
    .slice(2)
    .split("/")
    .reduce<unknown>((node, part) => (node as Schema)[part], description);
}
