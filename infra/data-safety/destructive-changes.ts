// What a deploy would delete or replace, worked out before it runs: alchemy's state vs the program, and the deployed
// Worker's Durable Object bindings vs the ones the program binds. Pure; mirrors alchemy 0.94's own rules.

export type DestructiveKind = "d1-database" | "worker" | "durable-object-class" | "resource";

export interface DestructiveChange {
  kind: DestructiveKind;
  /** The physical name (database, Worker) or the class name: what an acknowledgement names. */
  name: string;
  /** What happens to it, for a person. */
  what: string;
}

/** A top-level resource the program declares: alchemy id, resource kind, physical name. */
export interface ProgramResource {
  id: string;
  kind: string;
  name: string;
}

/** A Durable Object namespace the program binds to its Worker. */
export interface ProgramDurableObject {
  binding: string;
  /** The namespace's alchemy id: the stable id alchemy records in the Worker's tags. */
  id: string;
  className: string;
}

/** A resource alchemy's state records for the stage. */
export interface RecordedResource {
  id: string;
  kind: string;
  name: string | undefined;
}

export interface DeployedBinding {
  type: string;
  name: string;
  class_name?: string;
  script_name?: string;
}

/** The stage's Worker as Cloudflare has it (`GET …/workers/scripts/:name/settings`). */
export interface DeployedWorker {
  name: string;
  bindings: DeployedBinding[];
  tags: string[];
}

export interface DestructionInput {
  resources: ProgramResource[];
  durableObjects: ProgramDurableObject[];
  state: RecordedResource[];
  /** Undefined when the stage has no Worker yet. */
  deployed: DeployedWorker | undefined;
}

export const D1_KIND = "cloudflare::D1Database";
export const WORKER_KIND = "cloudflare::Worker";
/** Entries alchemy keeps for nested scopes: never orphans it destroys as resources of their own. */
const SCOPE_KIND = "alchemy::Scope";

export function planDestruction(input: DestructionInput): DestructiveChange[] {
  return [...replacedResources(input), ...deletedClasses(input)];
}

/**
 * `app.finalize()` destroys every state entry the program no longer declares (an id renamed or removed), and a D1
 * database whose physical name changed is replaced (`this.replace()` in d1-database.ts): a new, empty one is made.
 * A Worker whose name changed is renamed in place by alchemy, so it is not listed.
 */
function replacedResources({ resources, state }: DestructionInput): DestructiveChange[] {
  const changes: DestructiveChange[] = [];
  for (const recorded of state) {
    if (recorded.kind === SCOPE_KIND) continue;
    const name = recorded.name ?? recorded.id;
    const declared = resources.find((resource) => resource.id === recorded.id);
    if (!declared) {
      changes.push(orphan(recorded, name));
    } else if (recorded.kind === D1_KIND && recorded.name !== undefined && recorded.name !== declared.name) {
      changes.push({
        kind: "d1-database",
        name,
        what: `D1 database ${name} is replaced by a new, empty ${declared.name} (its physical name changed); the Worker moves to the empty one.`,
      });
    }
  }
  return changes;
}

function orphan(recorded: RecordedResource, name: string): DestructiveChange {
  const because = `the program no longer declares resource id "${recorded.id}"`;
  if (recorded.kind === D1_KIND) {
    return {
      kind: "d1-database",
      name,
      what: `D1 database ${name} is deleted as an orphan (${because}); the Worker moves to a new, empty database.`,
    };
  }
  if (recorded.kind === WORKER_KIND) {
    return {
      kind: "worker",
      name,
      what: `Worker ${name} is deleted as an orphan (${because}), and every Durable Object it hosts with it.`,
    };
  }
  return { kind: "resource", name, what: `${recorded.kind} ${name} is deleted as an orphan (${because}).` };
}

/**
 * The classes alchemy will put in `deleted_classes` (worker-metadata.ts): each Durable Object binding of the deployed
 * Worker whose namespace (by the stable id alchemy tags as `alchemy:do:{id}:{binding}`) the program no longer binds.
 * Cloudflare accepts that once nothing binds the class, and deletes every object of it.
 */
function deletedClasses({ durableObjects, deployed }: DestructionInput): DestructiveChange[] {
  if (!deployed) return [];
  const stableIds = new Map<string, string>();
  for (const tag of deployed.tags) {
    const [prefix, kind, stableId, binding] = tag.split(":");
    if (prefix === "alchemy" && kind === "do" && stableId && binding) stableIds.set(binding, stableId);
  }
  const changes: DestructiveChange[] = [];
  for (const binding of deployed.bindings) {
    if (binding.type !== "durable_object_namespace" || !binding.class_name) continue;
    if (binding.script_name !== undefined && binding.script_name !== deployed.name) continue;
    const stableId = stableIds.get(binding.name);
    const kept = stableId
      ? durableObjects.some((object) => object.id === stableId)
      : durableObjects.some((object) => object.binding === binding.name && object.className === binding.class_name);
    if (kept) continue;
    const namespace = stableId ? `namespace "${stableId}" (binding ${binding.name})` : `binding ${binding.name}`;
    changes.push({
      kind: "durable-object-class",
      name: binding.class_name,
      what: `Durable Object class ${binding.class_name} of Worker ${deployed.name} enters deleted_classes: ${namespace} is no longer bound, so every object of the class and its storage is deleted.`,
    });
  }
  return changes;
}

/**
 * Ids the program created that stackResources() does not list. The guard judges orphans against that list, so a
 * resource added to infra/resources.ts but not to the list would read as deleted on the next deploy: say so at once.
 */
export function unlistedResources(created: Iterable<string>, listed: ProgramResource[]): string[] {
  const known = new Set(listed.map((resource) => resource.id));
  return [...created].filter((id) => !known.has(id));
}
