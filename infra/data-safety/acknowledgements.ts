// Acknowledgements of destructive changes to protected stages: validated, matched against what a deploy would do.
import { z } from "zod";
import { isProtectedStage } from "../core/protected-stages.ts";
import type { DestructiveChange } from "./destructive-changes.ts";

/** Where the reviewed acknowledgements live, so a pull request's diff shows them. */
export const ACKNOWLEDGEMENT_FILE = "infra/acknowledged-destruction.ts";

const MIN_REASON_LENGTH = 15;

export const acknowledgementSchema = z.strictObject({
  stage: z.string().refine(isProtectedStage, "must be a protected stage (infra/core/protected-stages.ts)"),
  kind: z.enum(["d1-database", "worker", "durable-object-class", "resource"]),
  name: z.string().min(1),
  reason: z.string().trim().min(MIN_REASON_LENGTH, `say why, in at least ${MIN_REASON_LENGTH} characters`),
});

export type Acknowledgement = z.infer<typeof acknowledgementSchema>;

/** Throws naming each bad entry: a malformed acknowledgement must never count as one. */
export function parseAcknowledgements(entries: readonly unknown[]): Acknowledgement[] {
  const problems: string[] = [];
  const parsed = entries.flatMap((entry, index) => {
    const result = acknowledgementSchema.safeParse(entry);
    if (result.success) return [result.data];
    for (const issue of result.error.issues) {
      problems.push(`entry ${index}${issue.path.length ? `.${issue.path.join(".")}` : ""}: ${issue.message}`);
    }
    return [];
  });
  if (problems.length > 0) throw new Error(`${ACKNOWLEDGEMENT_FILE} is invalid:\n  ${problems.join("\n  ")}`);
  return parsed;
}

const matches = (stage: string, change: DestructiveChange) => (ack: Acknowledgement) =>
  ack.stage === stage && ack.kind === change.kind && ack.name === change.name;

export interface Verdict {
  acknowledged: { change: DestructiveChange; ack: Acknowledgement }[];
  unacknowledged: DestructiveChange[];
  /** Acknowledgements for this stage that this deploy does not need: remove them once the change is deployed. */
  unused: Acknowledgement[];
}

export function judge(stage: string, changes: DestructiveChange[], acks: Acknowledgement[]): Verdict {
  const acknowledged: Verdict["acknowledged"] = [];
  const unacknowledged: DestructiveChange[] = [];
  for (const change of changes) {
    const ack = acks.find(matches(stage, change));
    if (ack) acknowledged.push({ change, ack });
    else unacknowledged.push(change);
  }
  const used = new Set(acknowledged.map(({ ack }) => ack));
  return { acknowledged, unacknowledged, unused: acks.filter((ack) => ack.stage === stage && !used.has(ack)) };
}

/** The entry a person would add to acknowledge a change, printed with the refusal. */
export function acknowledgementSnippet(stage: string, change: DestructiveChange): string {
  return `{ stage: "${stage}", kind: "${change.kind}", name: "${change.name}", reason: "<why this data may go>" },`;
}
