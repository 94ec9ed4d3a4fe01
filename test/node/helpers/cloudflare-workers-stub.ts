// "cloudflare:workers" for the node test project: just enough to import the Worker's modules and
// build its OpenAPI document outside workerd. Nothing here runs a Durable Object.
export class DurableObject<Env = unknown> {
  protected readonly ctx: unknown;
  protected readonly env: Env;

  constructor(ctx: unknown, env: Env) {
    this.ctx = ctx;
    this.env = env;
  }
}
