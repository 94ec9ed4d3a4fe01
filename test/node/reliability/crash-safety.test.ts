// Crash safety: the real stack (the deployed bundle in workerd, D1 and SessionDO files on disk) under
// concurrent appends to several sessions is killed with SIGKILL at a random point, restarted on the
// same files and checked through the API: every acknowledged message is stored exactly once as
// acknowledged, seqs are 1..N, unanswered appends retried with their key never duplicate, and the
// D1 index converges. Several rounds on the same data. RELIABILITY_SEED=… replays the round plan.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession, signUp } from "../../bench/api.ts";
import type { BuiltBundle } from "../../bench/bundle.ts";
import { WAIT_MS } from "../../helpers/patience.ts";
import { prng, seedFrom } from "../../helpers/prng.ts";
import { me, share } from "./client.ts";
import {
  checkAll,
  indexCatchesUpUntouched,
  indexMatches,
  loadUntilCrash,
  type Run,
  readAll,
  retry,
} from "./crash-round.ts";
import { buildApp, type Stack, startStack } from "./stack.ts";

const SEED = seedFrom(process.env.RELIABILITY_SEED);
const ROUNDS = 4;
const SESSIONS = 6;
const CLIENTS = 24;
/** Acknowledged appends per round before the kill, drawn from this range. */
const KILL_AFTER: [number, number] = [400, 1_400];
/** Lowered from 5 s so the index checks wait less; the alarm path is the same. */
const VARS = { SESSION_INDEX_FLUSH_MS: "250" };
/** Each wait for the index to catch up (its flush runs every 250 ms here): a hang guard, generous for a busy machine. */
const INDEX_DEADLINE_MS = WAIT_MS;

let work: string;
let bundle: BuiltBundle;
let stack: Stack | undefined;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "reliability-"));
  bundle = await buildApp(work);
});

afterAll(async () => {
  await stack?.runtime.dispose();
  await rm(work, { recursive: true, force: true });
});

describe("crash safety", () => {
  it(`keeps every acknowledged append exactly once across ${ROUNDS} kill -9 restarts (seed ${SEED})`, async () => {
    // On disk (the system temp dir), not in memory: the files must outlive the process.
    const persistDir = join(work, "persist");
    stack = await startStack(bundle, { persistDir, vars: VARS, migrate: true });
    const [owner, editor] = [await signUp(stack.base), await signUp(stack.base)];
    const editorEmail = (await me(editor)).email;
    const sessions: string[] = [];
    for (let i = 0; i < SESSIONS; i += 1) {
      const id = await createSession(owner, `crash ${i}`);
      await share(owner, id, editorEmail, "editor");
      sessions.push(id);
    }
    const run: Run = { stack, writers: [owner, editor], sessions, attempts: [], rng: prng(SEED) };

    for (let round = 1; round <= ROUNDS; round += 1) {
      const killAfter = run.rng.int(...KILL_AFTER);
      const label = `round ${round} (seed ${SEED}, killed after ${killAfter} acknowledged)`;
      await loadUntilCrash(run, round, CLIENTS, killAfter);
      stack = undefined;
      run.stack = await startStack(bundle, { persistDir, vars: VARS });
      stack = run.stack;

      // Index first: reading the messages wakes the sessions, and untouched is the case to prove.
      const untouched = await indexCatchesUpUntouched(run, INDEX_DEADLINE_MS);
      const afterCrash = await readAll(run);
      expect([...checkAll(run, afterCrash), ...untouched], label).toEqual([]);
      expect(await indexMatches(run, afterCrash, INDEX_DEADLINE_MS), label).toEqual([]);

      const unanswered = run.attempts.filter((attempt) => attempt.outcome.kind === "unknown");
      const storedAnyway = unanswered.filter((attempt) =>
        afterCrash.get(attempt.sessionId)?.some((message) => message.content === attempt.content),
      );
      expect(await retry(run, afterCrash), label).toEqual([]);
      expect(
        run.attempts.filter((attempt) => attempt.outcome.kind !== "acked"),
        label,
      ).toEqual([]);
      const afterRetries = await readAll(run);
      expect(checkAll(run, afterRetries), label).toEqual([]);
      expect(await indexMatches(run, afterRetries, INDEX_DEADLINE_MS), label).toEqual([]);

      const stored = [...afterRetries.values()].reduce((sum, messages) => sum + messages.length, 0);
      console.log(
        `crash safety ${label}: ${unanswered.length} appends unanswered at the kill, ${storedAnyway.length} of ` +
          `them stored; all retried; ${stored} messages in ${SESSIONS} sessions`,
      );
    }
    const total = [...(await readAll(run)).values()].reduce((sum, messages) => sum + messages.length, 0);
    expect(total).toBe(run.attempts.length);
    expect(total).toBeGreaterThan(ROUNDS * KILL_AFTER[0]);
  }, 900_000); // a hang guard: minutes on a loaded machine, seconds on an idle one
});
