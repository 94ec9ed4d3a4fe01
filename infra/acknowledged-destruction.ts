// Reviewed acknowledgements: each entry lets deploys of one protected stage delete one named thing (docs/data-safety.md).
import type { Acknowledgement } from "./data-safety/acknowledgements.ts";

/**
 * A deploy of a protected stage refuses to delete or replace a D1 database, a Worker or a Durable Object class unless
 * it is listed here, so the decision shows in the pull request's diff. Remove an entry once its change is deployed.
 */
export const ACKNOWLEDGED_DESTRUCTION: readonly Acknowledgement[] = [];
