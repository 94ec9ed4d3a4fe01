// Static assets served beside the Worker: the console and the Swagger UI files.
export {
  buildStaticAssets,
  CONSOLE_GZIP_BUDGET,
  shadowedWorkerPaths,
  WORKER_PATHS,
} from "./build-assets.ts";
