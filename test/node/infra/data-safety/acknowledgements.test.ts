// Acknowledgements: validated strictly, matched on stage, kind and name only.
import { describe, expect, it } from "vitest";
import { ACKNOWLEDGED_DESTRUCTION } from "../../../../infra/acknowledged-destruction.ts";
import { APP_NAME } from "../../../../infra/core/runtime.ts";
import { judge, parseAcknowledgements } from "../../../../infra/data-safety/acknowledgements.ts";
import type { DestructiveChange } from "../../../../infra/data-safety/destructive-changes.ts";

const limiter: DestructiveChange = { kind: "durable-object-class", name: "LoginLimiterDO", what: "…" };
const database: DestructiveChange = { kind: "d1-database", name: `${APP_NAME}-db-prod`, what: "…" };
const ack = {
  stage: "prod",
  kind: "durable-object-class",
  name: "LoginLimiterDO",
  reason: "Login limits moved to the IdP.",
};

describe("acknowledgements", () => {
  it("the repository's file is valid and acknowledges nothing by default", () => {
    expect(parseAcknowledgements(ACKNOWLEDGED_DESTRUCTION)).toEqual([]);
  });

  it("refuses malformed entries, naming each problem", () => {
    expect(() => parseAcknowledgements([{ ...ack, stage: "pr-7" }])).toThrow(
      /entry 0.stage: must be a protected stage/,
    );
    expect(() => parseAcknowledgements([{ ...ack, reason: "ok" }])).toThrow(/entry 0.reason: say why/);
    expect(() => parseAcknowledgements([ack, { ...ack, kind: "everything" }])).toThrow(/entry 1.kind/);
    expect(() => parseAcknowledgements([{ ...ack, extra: true }])).toThrow(/entry 0/);
  });

  it("lets through exactly the acknowledged change on the acknowledged stage", () => {
    const acks = parseAcknowledgements([ack]);
    expect(judge("prod", [limiter, database], acks)).toMatchObject({
      acknowledged: [{ change: limiter }],
      unacknowledged: [database],
      unused: [],
    });
    expect(judge("staging", [limiter], acks).unacknowledged).toEqual([limiter]);
    expect(judge("prod", [{ ...limiter, name: "SessionDO" }], acks).unacknowledged).toHaveLength(1);
    expect(judge("prod", [{ ...limiter, kind: "worker" }], acks).unacknowledged).toHaveLength(1);
  });

  it("reports acknowledgements a deploy no longer needs", () => {
    expect(judge("prod", [], parseAcknowledgements([ack])).unused).toHaveLength(1);
    expect(judge("staging", [], parseAcknowledgements([ack])).unused).toEqual([]);
  });
});
