// The destructive-change guard a deploy runs before creating anything: plan, then refuse or report.

import { isProtectedStage } from "../core/protected-stages.ts";
import { CloudflareApiError, type CloudflareClient, readWorkerSettings } from "../vendors/cloudflare-api.ts";
import { appendSummary } from "../vendors/github-outputs.ts";
import { ACKNOWLEDGEMENT_FILE, acknowledgementSnippet, judge, parseAcknowledgements } from "./acknowledgements.ts";
import {
  type DeployedBinding,
  type DeployedWorker,
  type DestructiveChange,
  type ProgramDurableObject,
  type ProgramResource,
  planDestruction,
  type RecordedResource,
  WORKER_KIND,
} from "./destructive-changes.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** What alchemy's state store gives back (`scope.state.all()`), narrowed to what the guard reads. */
export interface StateReader {
  all(): Promise<Record<string, { kind: string; output?: unknown }>>;
}

export interface GuardInput {
  stage: string;
  resources: ProgramResource[];
  durableObjects: ProgramDurableObject[];
  state: StateReader;
  cloudflare: CloudflareClient;
  acknowledgements: readonly unknown[];
  env: Env;
  log: (line: string) => void;
}

export class DestructiveChangeError extends Error {
  override name = "DestructiveChangeError";
}

/**
 * Refuses (throws) when a protected stage's deploy would delete or replace something not acknowledged in
 * infra/acknowledged-destruction.ts. Returns what the deploy will delete, for the report after it (previews go ahead).
 */
export async function guardDestructiveChanges(input: GuardInput): Promise<DestructiveChange[]> {
  const { stage, log } = input;
  const acks = parseAcknowledgements(input.acknowledgements);
  const worker = input.resources.find((resource) => resource.kind === WORKER_KIND);
  const [state, deployed] = await Promise.all([
    recordedResources(input.state),
    worker ? deployedWorker(input.cloudflare, worker.name) : undefined,
  ]);
  const changes = planDestruction({
    resources: input.resources,
    durableObjects: input.durableObjects,
    state,
    deployed,
  });

  if (!isProtectedStage(stage)) {
    if (changes.length > 0) log(describe(`Stage ${stage} is not protected; this deploy deletes or replaces:`, changes));
    return changes;
  }
  const verdict = judge(stage, changes, acks);
  for (const ack of verdict.unused) {
    log(`Acknowledgement not needed by this deploy (remove it from ${ACKNOWLEDGEMENT_FILE}): ${ack.kind} ${ack.name}.`);
  }
  if (verdict.unacknowledged.length > 0) {
    throw new DestructiveChangeError(
      [
        describe(
          `Refusing to deploy the protected stage "${stage}": it would delete or replace data:`,
          verdict.unacknowledged,
        ),
        `Nothing was changed. If this is intended, acknowledge each item in ${ACKNOWLEDGEMENT_FILE} (reviewed in the pull request):`,
        ...verdict.unacknowledged.map((change) => `  ${acknowledgementSnippet(stage, change)}`),
        `See docs/data-safety.md, "Acknowledging a destructive change".`,
      ].join("\n"),
    );
  }
  if (verdict.acknowledged.length > 0) {
    log(describe(`Stage ${stage}: acknowledged in ${ACKNOWLEDGEMENT_FILE}, this deploy deletes or replaces:`, changes));
  }
  return changes;
}

/** After the deploy: what it deleted, in the log and the job summary. */
export async function reportDestruction(stage: string, changes: DestructiveChange[], log: (line: string) => void) {
  if (changes.length === 0) return;
  const text = describe(`Stage ${stage}: this deploy deleted or replaced:`, changes);
  log(text);
  await appendSummary(`\`\`\`\n${text}\n\`\`\``);
}

function describe(title: string, changes: DestructiveChange[]): string {
  return [title, ...changes.map((change) => `  - ${change.what}`)].join("\n");
}

async function recordedResources(state: StateReader): Promise<RecordedResource[]> {
  return Object.entries(await state.all()).map(([id, entry]) => {
    const name = (entry.output as { name?: unknown } | undefined)?.name;
    return { id, kind: entry.kind, name: typeof name === "string" ? name : undefined };
  });
}

/** The Worker's bindings and tags as Cloudflare has them; undefined when the stage has no Worker yet. */
async function deployedWorker(cloudflare: CloudflareClient, name: string): Promise<DeployedWorker | undefined> {
  const settings = await readWorkerSettings(cloudflare, name).catch((error: unknown) => {
    if (error instanceof CloudflareApiError && error.status === 404) return undefined;
    throw error;
  });
  if (settings === undefined) return undefined;
  // alchemy also reads tags under default_environment (worker-metadata.ts), a field the SDK's type leaves out.
  const { bindings, tags, default_environment } = settings as typeof settings & {
    default_environment?: { script?: { tags?: unknown } };
  };
  if (!Array.isArray(bindings)) {
    throw new Error(`Cloudflare GET workers/scripts/${name}/settings returned no bindings: cannot plan safely.`);
  }
  const allTags = [tags, default_environment?.script?.tags].flatMap((list) => (Array.isArray(list) ? list : []));
  return {
    name,
    bindings: bindings as DeployedBinding[],
    tags: allTags.filter((tag): tag is string => typeof tag === "string"),
  };
}
