// The baseline Workers, measured in the same run on the same runtime as the API: every ratio in the
// report divides by one of these.
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkerOptions } from "miniflare";
import { workerDefaults } from "../runtime.ts";

export const BASELINE = { ok: "baseline-ok", insert: "baseline-insert", broadcast: "baseline-broadcast" } as const;

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (file: string) => ({ modules: true, modulesRoot: here, scriptPath: `${here}/${file}` });

export function baselineWorkers(): WorkerOptions[] {
  return [
    { ...workerDefaults(BASELINE.ok), ...fixture("ok-worker.js") },
    {
      ...workerDefaults(BASELINE.insert),
      ...fixture("insert-do.js"),
      durableObjects: { INSERT: { className: "InsertDO", useSQLite: true } },
    },
    {
      ...workerDefaults(BASELINE.broadcast),
      ...fixture("broadcast-do.js"),
      durableObjects: { ROOM: { className: "BroadcastDO", useSQLite: true } },
    },
  ];
}
