// The parts of the live OpenAPI document the fuzzer reads: every operation with its parameters and
// request body, `$ref`s resolved, plus the small schema checks the generator needs.

export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** As documented, e.g. `/v1/sessions/{id}/messages`. */
  path: string;
  parameters: Parameter[];
  body?: { required: boolean; mediaTypes: string[]; schema: Schema };
  /** Needs a bearer token (absent when the route is public). */
  secured: boolean;
  /** Documents `101 Switching Protocols`: a WebSocket upgrade. */
  upgrade: boolean;
  /** Per documented status: the error codes its examples name and the headers it declares. */
  responses: Record<string, DeclaredResponse>;
}

export interface DeclaredResponse {
  codes: string[];
  headers: string[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface RawOperation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  security?: Record<string, unknown>[];
  responses?: Record<string, RawResponse>;
}

interface RawResponse {
  headers?: Record<string, unknown>;
  content?: Record<string, { examples?: Record<string, unknown> }>;
}

export const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;

export function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace("#/components/schemas/", "");
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
  return resolve(doc, target);
}

/** Every operation in the document, with `$ref`s in bodies and properties resolved. */
export function operations(doc: OpenApiDocument): Operation[] {
  const found: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const raw = item[method];
      if (!raw) continue;
      const content = raw.requestBody?.content ?? {};
      const mediaTypes = Object.keys(content);
      const first = mediaTypes[0];
      const bodySchema = first === undefined ? undefined : content[first]?.schema;
      const schema = bodySchema && resolve(doc, bodySchema);
      if (schema?.properties) {
        schema.properties = Object.fromEntries(
          Object.entries(schema.properties).map(([name, property]) => [name, resolve(doc, property)]),
        );
      }
      found.push({
        method: method.toUpperCase(),
        path,
        parameters: (raw.parameters ?? []).map((parameter) => ({
          ...parameter,
          required: parameter.required ?? false,
          schema: resolve(doc, parameter.schema),
        })),
        body: schema && { required: raw.requestBody?.required ?? false, mediaTypes, schema },
        secured: (raw.security ?? []).some((requirement) => Object.keys(requirement).length > 0),
        upgrade: Object.hasOwn(raw.responses ?? {}, "101"),
        responses: Object.fromEntries(
          Object.entries(raw.responses ?? {}).map(([status, response]) => [
            status,
            {
              codes: Object.keys(response.content?.["application/json"]?.examples ?? {}),
              headers: Object.keys(response.headers ?? {}),
            },
          ]),
        ),
      });
    }
  }
  return found;
}

const types = (schema: Schema): string[] =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];

/** Does the value have a type the schema allows (constraints such as lengths aside)? */
export function typeMatches(schema: Schema, value: unknown): boolean {
  if (schema.enum) return schema.enum.includes(value);
  const allowed = types(schema);
  if (allowed.length === 0) return true;
  return allowed.some((type) => {
    switch (type) {
      case "null":
        return value === null;
      case "integer":
        return Number.isInteger(value);
      case "number":
        return typeof value === "number";
      case "array":
        return Array.isArray(value);
      case "object":
        return typeof value === "object" && value !== null && !Array.isArray(value);
      default:
        return typeof value === type;
    }
  });
}

/** Does the text break the string schema's own rules (enum, pattern, lengths in UTF-16 units)? */
export function violates(schema: Schema, text: string): boolean {
  if (schema.enum && !schema.enum.includes(text)) return true;
  if (schema.pattern && !new RegExp(schema.pattern).test(text)) return true;
  if (schema.minLength !== undefined && text.length < schema.minLength) return true;
  return schema.maxLength !== undefined && text.length > schema.maxLength;
}

export const isType = (schema: Schema, type: string) => types(schema).includes(type);
