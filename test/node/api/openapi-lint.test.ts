// The OpenAPI document passes a linter nobody here wrote: Redocly's `recommended` ruleset, offline.
import { BaseResolver, createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { servedDocument } from "../helpers/openapi-document.ts";

async function lint(document: unknown) {
  const config = await createConfig({
    extends: ["recommended"],
    // What the issue asks of a contract teams generate clients from, raised from warnings (or off) to errors.
    rules: { "operation-operationId": "error", "operation-tag-defined": "error", "tag-description": "error" },
  });
  const problems = await lintFromString({
    source: JSON.stringify(document),
    absoluteRef: "openapi.json",
    config,
    // Everything is in the one document; a resolver that fetched anything would be a bug here.
    externalRefResolver: new BaseResolver(),
  });
  return problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? "?"}`);
}

/** Warnings that describe the API truthfully; any other problem fails. */
const ACCEPTED_WARNINGS = [
  // A liveness probe refuses nothing.
  "warn operation-4xx-response: Operation must have at least one `4XX` response. at #/paths/~1health/get/responses",
  // The upgrade's success is 101 Switching Protocols.
  "warn operation-2xx-response: Operation must have at least one `2XX` response. at #/paths/~1v1~1sessions~1{id}~1ws/get/responses",
];

describe("the OpenAPI document under Redocly's recommended rules", () => {
  it("has no errors, and no warnings but those that are true of this API", async () => {
    const problems = await lint(await servedDocument());
    expect(problems.filter((problem) => !ACCEPTED_WARNINGS.includes(problem))).toEqual([]);
  });

  it("fails an operation without an operationId, or with a tag the document does not define", async () => {
    const document = await servedDocument();
    const paths = document.paths as Record<string, Record<string, { operationId?: string; tags?: string[] }>>;
    const me = paths["/v1/me"]?.get;
    const health = paths["/health"]?.get;
    if (!me || !health) expect.unreachable("GET /v1/me or GET /health is not documented");
    delete me.operationId;
    health.tags = ["undeclared"];
    const problems = await lint(document);
    expect(problems.filter((problem) => !ACCEPTED_WARNINGS.includes(problem)).sort()).toEqual([
      expect.stringMatching(/^error operation-operationId:.*~1v1~1me\/get/),
      expect.stringMatching(/^error operation-tag-defined:.*~1health\/get/),
    ]);
  });
});
