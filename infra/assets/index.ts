// Static assets served beside the Worker: the console and the Swagger UI files.
export {
  ASSETS_DIR,
  buildStaticAssets,
  CONSOLE_GZIP_BUDGET,
  kib,
  shadowedWorkerPaths,
  WORKER_PATHS,
} from "./build-assets.ts";
