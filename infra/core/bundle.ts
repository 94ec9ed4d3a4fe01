// How the Worker is bundled for deploy and dev (and measured by `npm run bench`): minified, without
// the ~50 translated error-message locales zod 4 would otherwise ship (the API speaks English).
import { dirname } from "node:path";
import type { Plugin } from "esbuild";

const LOCALES_NAMESPACE = "zod-english-only";

/**
 * zod's `z.locales` namespace import keeps every locale alive (about 300 KB minified), because
 * @hono/zod-openapi re-exports `z` whole. zod configures English from `locales/en.js` directly, so
 * only the namespace is swapped for one holding English.
 */
export const zodEnglishOnly: Plugin = {
  name: "zod-english-only",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: args.importer, namespace: LOCALES_NAMESPACE } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: LOCALES_NAMESPACE }, (args) => ({
      contents: 'export { default as en } from "../locales/en.js";',
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

export const WORKER_BUNDLE = { minify: true, plugins: [zodEnglishOnly] };
