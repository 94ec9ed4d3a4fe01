// Every append the crash test sends, and what it learnt about each: acknowledged (a 2xx with the
// message), unknown (no answer: the runtime died first) or refused. The checks say what the stored
// messages of a session must look like given those attempts.

export interface StoredMessage {
  id: string;
  seq: number;
  content: string;
  authorId: string;
  createdAt: string;
}

export type Outcome =
  | { kind: "acked"; id: string; seq: number }
  | { kind: "unknown"; error: string }
  | { kind: "refused"; status: number; body: string };

export interface Attempt {
  /** The Idempotency-Key; the content starts with it, so a stored message names its attempt. */
  key: string;
  sessionId: string;
  content: string;
  token: string;
  outcome: Outcome;
}

/** The key an attempt's content starts with (content is `key|padding`). */
export const keyOf = (content: string) => content.split("|", 1)[0] ?? "";

/**
 * What is wrong with one session's stored messages (read in seq order) given every attempt made on
 * it: a gap or repeat in seq, a message nobody sent, an acknowledged message missing or different
 * from its acknowledgement, a message stored twice, a refused append. Empty when everything holds.
 */
export function checkSession(messages: StoredMessage[], attempts: Attempt[]): string[] {
  const problems: string[] = [];
  for (const [i, message] of messages.entries()) {
    if (message.seq !== i + 1) {
      problems.push(`seq ${message.seq} at position ${i + 1}: seqs are not exactly 1..${messages.length}`);
      break;
    }
  }
  const stored = new Map<string, StoredMessage[]>();
  for (const message of messages) {
    const key = keyOf(message.content);
    stored.set(key, [...(stored.get(key) ?? []), message]);
  }
  const sent = new Map(attempts.map((attempt) => [attempt.key, attempt]));
  for (const [key, copies] of stored) {
    if (!sent.has(key)) problems.push(`seq ${copies[0]?.seq} holds ${JSON.stringify(key)}, which was never sent`);
  }
  for (const attempt of attempts) {
    const copies = stored.get(attempt.key) ?? [];
    const { outcome } = attempt;
    if (copies.length > 1) {
      problems.push(`duplicate: ${attempt.key} is stored ${copies.length} times (seqs ${copies.map((m) => m.seq)})`);
    }
    const [copy] = copies;
    if (copy && copy.content !== attempt.content)
      problems.push(`${attempt.key}: stored content differs from what was sent`);
    if (outcome.kind === "acked") {
      if (!copy) problems.push(`lost: ${attempt.key} was acknowledged as seq ${outcome.seq} but is not stored`);
      else if (copy.id !== outcome.id || copy.seq !== outcome.seq) {
        problems.push(
          `${attempt.key}: acknowledged as seq ${outcome.seq} (${outcome.id}), stored as seq ${copy.seq} (${copy.id})`,
        );
      }
    }
    if (outcome.kind === "refused") problems.push(`${attempt.key}: refused with ${outcome.status}: ${outcome.body}`);
  }
  return problems;
}
