// The Worker's OpenAPI document, built in Node exactly as /openapi.json serves it with the default
// configuration (the variables infra declares), for tools that cannot run inside workerd.
import { localWorkerBindings } from "../../../infra/worker-config.ts";
import { createApp } from "../../../src/app.ts";

export const DEFAULT_VARS = localWorkerBindings("test");

export async function servedDocument(): Promise<Record<string, unknown>> {
  const res = await createApp().request("/openapi.json", {}, DEFAULT_VARS);
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}
