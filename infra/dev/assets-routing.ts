// Local dev of a Worker with static assets: alchemy 0.94 hands Miniflare the assets directory but no
// router configuration, so Miniflare's assets router believes there is no Worker behind it and
// answers 404 for every path that is not a file. This fills in what `wrangler dev` would send.

/** The part of Miniflare's per-Worker options this touches. */
interface WorkerAssetsOptions {
  assets?: { directory: string; routerConfig?: Record<string, unknown>; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * Paths that are not asset files go on to the Worker, as deployed with `not_found_handling: "none"`.
 * (`run_worker_first` is not reproduced: the asset build refuses files that would shadow the Worker.)
 */
export function withWorkerBehindAssets<T extends { workers: WorkerAssetsOptions[] }>(options: T): T {
  return {
    ...options,
    workers: options.workers.map((worker) =>
      worker.assets && worker.assets.routerConfig === undefined
        ? { ...worker, assets: { ...worker.assets, routerConfig: { has_user_worker: true } } }
        : worker,
    ),
  };
}
