// Runs the Worker's app with some variables changed, for behaviour that depends on configuration.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../../src/index.ts";
import { BASE_URL } from "./auth.ts";

/** Same bindings and storage as the tests' Worker; each distinct `vars` object is parsed as its own config. */
export async function callWithVars(vars: Record<string, string>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE_URL}${path}`, init), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
