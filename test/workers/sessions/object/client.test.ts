import { describe, expect, it } from "vitest";
import { ApiError } from "../../../../src/http/errors.ts";
import { unwrap } from "../../../../src/sessions/api/session-stub.ts";
import { createSession } from "./helpers.ts";

describe("unwrap (Worker side)", () => {
  it("returns the value of an ok result, typed from the RPC method", async () => {
    const { stub, ownerId } = await createSession();
    const { created, message } = unwrap(await stub.appendMessage({ authorId: ownerId, content: "typed" }));
    expect([created, message.seq]).toEqual([true, 1]);
  });

  it("throws a failure as an ApiError in the API's error model", async () => {
    const { stub } = await createSession();
    const result = await stub.updateTask("no-such-task", { status: "completed" });
    let thrown: unknown;
    try {
      unwrap(result);
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).status).toBe(404);
    expect((thrown as ApiError).toBody()).toEqual({
      error: {
        code: "task_not_found",
        message: "This task does not exist in the session.",
        details: { taskId: "no-such-task" },
      },
    });
  });
});
