// The crash test's checker must catch each failure it exists for: a lost acknowledged message, a
// duplicate, a gap, a message that differs from its acknowledgement, one nobody sent.
import { describe, expect, it } from "vitest";
import { type Attempt, checkSession, type StoredMessage } from "./append-ledger.ts";

const message = (seq: number, key: string, id = `id-${key}`): StoredMessage => ({
  id,
  seq,
  content: `${key}|padding`,
  authorId: "u",
  createdAt: "2026-01-01T00:00:00.000Z",
});
const acked = (key: string, seq: number, id = `id-${key}`): Attempt => ({
  key,
  sessionId: "s",
  content: `${key}|padding`,
  token: "t",
  outcome: { kind: "acked", id, seq },
});
const unknown = (key: string): Attempt => ({ ...acked(key, 0), outcome: { kind: "unknown", error: "reset" } });

describe("checkSession", () => {
  it("accepts acknowledged messages in place and unknown ones present once or not at all", () => {
    const attempts = [acked("a", 1), unknown("b"), acked("c", 3), unknown("d")];
    expect(checkSession([message(1, "a"), message(2, "b"), message(3, "c")], attempts)).toEqual([]);
  });

  it("reports a lost acknowledged message", () => {
    expect(checkSession([message(1, "a")], [acked("a", 1), acked("b", 2)])).toEqual([
      "lost: b was acknowledged as seq 2 but is not stored",
    ]);
  });

  it("reports a duplicate, of an unknown attempt too", () => {
    const problems = checkSession(
      [message(1, "a"), message(2, "b", "x"), message(3, "b", "y")],
      [acked("a", 1), unknown("b")],
    );
    expect(problems).toEqual(["duplicate: b is stored 2 times (seqs 2,3)"]);
  });

  it("reports a gap and a repeated seq", () => {
    expect(checkSession([message(1, "a"), message(3, "b")], [acked("a", 1), acked("b", 3)])).toEqual([
      "seq 3 at position 2: seqs are not exactly 1..2",
    ]);
    expect(checkSession([message(1, "a"), message(1, "b")], [acked("a", 1), unknown("b")])[0]).toMatch(
      /^seq 1 at position 2/,
    );
  });

  it("reports a message stored differently from its acknowledgement, or never sent", () => {
    expect(checkSession([message(1, "a", "other")], [acked("a", 1)])).toEqual([
      "a: acknowledged as seq 1 (id-a), stored as seq 1 (other)",
    ]);
    expect(checkSession([message(1, "z")], [])).toEqual(['seq 1 holds "z", which was never sent']);
  });
});
