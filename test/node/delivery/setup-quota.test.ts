// The preview-room arithmetic of `npm run setup`: each stage is 1 Worker + 1 D1 database, protected stages first.
import { describe, expect, it } from "vitest";
import { stageResourceNames } from "../../../infra/core/names.ts";
import { PLAN_LIMITS, previewRoom, STATE_STORE_WORKER } from "../../../infra/delivery/setup-quota.ts";

const prod = stageResourceNames("prod");
const staging = stageResourceNames("staging");

describe("previewRoom", () => {
  it("sets aside prod, staging and the state store on an empty Free account", () => {
    const room = previewRoom({ workers: [], databases: [], plan: "free" });
    expect(room.reserved).toEqual(["prod", "staging"]);
    expect(room.previews).toBe(PLAN_LIMITS.free.databases - 2);
  });

  it("reserves nothing for stages already deployed, and counts every Worker and database on the account", () => {
    const room = previewRoom({
      workers: [prod.worker, staging.worker, STATE_STORE_WORKER, "someone-else"],
      databases: [prod.database, staging.database, "someone-elses-db"],
      plan: "free",
    });
    expect(room.reserved).toEqual([]);
    expect(room.previews).toBe(7);
  });

  it("is bounded by Workers when they are the scarcer resource", () => {
    const workers = Array.from({ length: 98 }, (_, i) => `w${i}`);
    expect(previewRoom({ workers, databases: [], plan: "free" }).previews).toBe(100 - 98 - 3);
    expect(previewRoom({ workers, databases: [], plan: "paid" }).previews).toBe(500 - 98 - 3);
  });
});
