// One round of the crash test: concurrent appends until a random number are acknowledged, SIGKILL
// with requests in flight, then the checks after the restart (stored messages, retries, D1 index).
import type { Prng } from "../../helpers/prng.ts";
import { type Attempt, checkSession, type StoredMessage } from "./append-ledger.ts";
import { append, type Caller, readIndex, readMessages } from "./client.ts";
import { crash, type Stack } from "./stack.ts";

export interface Run {
  stack: Stack;
  /** Members who append; the first owns every session. Their `base` is replaced by the live stack's. */
  writers: Caller[];
  sessions: string[];
  attempts: Attempt[];
  rng: Prng;
}

const live = (run: Run, caller: Caller): Caller => ({ ...caller, base: run.stack.base });
const owner = (run: Run) => live(run, run.writers[0] as Caller);

/** Appends from `clients` concurrent loops until `killAfter` are acknowledged, then SIGKILL mid-flight. */
export async function loadUntilCrash(run: Run, round: number, clients: number, killAfter: number): Promise<void> {
  let acknowledged = 0;
  let crashed: Promise<void> | undefined;
  const client = async (index: number) => {
    for (let n = 0; !crashed; n += 1) {
      const key = `r${round}-c${index}-${n}`;
      const writer = live(run, run.rng.pick(run.writers));
      const attempt: Attempt = {
        key,
        sessionId: run.rng.pick(run.sessions),
        content: `${key}|${"é🙂-".repeat(run.rng.int(0, 60))}`,
        token: writer.token,
        outcome: { kind: "unknown", error: "not answered yet" },
      };
      run.attempts.push(attempt);
      attempt.outcome = await append(writer, attempt.sessionId, key, attempt.content);
      if (attempt.outcome.kind === "acked") acknowledged += 1;
      // crash() sends SIGKILL before its first await: the kill lands while the other loops wait for answers.
      if (acknowledged >= killAfter && !crashed) crashed = crash(run.stack);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
  await crashed;
}

export async function readAll(run: Run): Promise<Map<string, StoredMessage[]>> {
  const reader = owner(run);
  return new Map(await Promise.all(run.sessions.map(async (id) => [id, await readMessages(reader, id)] as const)));
}

export function checkAll(run: Run, stored: Map<string, StoredMessage[]>): string[] {
  return run.sessions.flatMap((id) => {
    const attempts = run.attempts.filter((attempt) => attempt.sessionId === id);
    return checkSession(stored.get(id) ?? [], attempts).map((problem) => `${id}: ${problem}`);
  });
}

/**
 * Retries every unanswered append with its key and body: one that was stored must replay (same
 * message), one that was not is created now. A sample of acknowledged ones must replay too.
 */
export async function retry(run: Run, stored: Map<string, StoredMessage[]>): Promise<string[]> {
  const problems: string[] = [];
  const byToken = new Map(run.writers.map((writer) => [writer.token, writer]));
  const unanswered = run.attempts.filter((attempt) => attempt.outcome.kind === "unknown");
  const sample = run.rng.shuffle(run.attempts.filter((attempt) => attempt.outcome.kind === "acked")).slice(0, 25);
  for (const attempt of [...unanswered, ...sample]) {
    const found = stored.get(attempt.sessionId)?.find((message) => message.content === attempt.content);
    const writer = live(run, byToken.get(attempt.token) as Caller);
    const outcome = await append(writer, attempt.sessionId, attempt.key, attempt.content);
    if (outcome.kind !== "acked") problems.push(`retry of ${attempt.key}: ${JSON.stringify(outcome)}`);
    else if (found && (outcome.id !== found.id || outcome.seq !== found.seq)) {
      problems.push(`retry of ${attempt.key} answered seq ${outcome.seq}; it is stored as seq ${found.seq}`);
    } else attempt.outcome = outcome;
  }
  return problems;
}

/** Polls the D1 index (GET /v1/sessions reads only D1) until `lag` finds nothing, or the deadline. */
async function pollIndex(
  run: Run,
  deadlineMs: number,
  lag: (id: string, row: { messageCount: number; lastMessageAt: string | null } | undefined) => string | null,
): Promise<string[]> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const index = await readIndex(owner(run));
    const behind = run.sessions.flatMap((id) => {
      const problem = lag(id, index.get(id));
      return problem === null ? [] : [`${id}: ${problem}`];
    });
    if (behind.length === 0 || Date.now() > deadline) return behind;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Before any request touches a session after the restart: the index catches up with every
 * acknowledged message (the alarm armed before the crash was stored with the write, and fires).
 */
export function indexCatchesUpUntouched(run: Run, deadlineMs: number): Promise<string[]> {
  return pollIndex(run, deadlineMs, (id, row) => {
    const seqs = run.attempts.flatMap((a) => (a.sessionId === id && a.outcome.kind === "acked" ? [a.outcome.seq] : []));
    const highest = Math.max(0, ...seqs);
    const count = row?.messageCount ?? 0;
    return count >= highest ? null : `untouched, the index counts ${count} messages; seq ${highest} was acknowledged`;
  });
}

/** The index matches the stored messages exactly: count and last message time. */
export function indexMatches(run: Run, stored: Map<string, StoredMessage[]>, deadlineMs: number): Promise<string[]> {
  return pollIndex(run, deadlineMs, (id, row) => {
    const messages = stored.get(id) ?? [];
    const want = { messageCount: messages.length, lastMessageAt: messages.at(-1)?.createdAt ?? null };
    const got = { messageCount: row?.messageCount, lastMessageAt: row?.lastMessageAt };
    const same = got.messageCount === want.messageCount && got.lastMessageAt === want.lastMessageAt;
    return same ? null : `the index has ${JSON.stringify(got)}, the messages say ${JSON.stringify(want)}`;
  });
}
