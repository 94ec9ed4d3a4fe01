// How long a test waits for something that should happen soon: one generous figure, not a performance bound.
/**
 * A test waits on an event or polls a condition; this deadline only turns a hang into a failure that names what never
 * happened. It is far above any healthy run, so a machine busy with other work (two CPU hogs beside `npm test`)
 * is slower but never red (docs/testing.md). Bounds the product promises are tested without a clock race instead.
 */
export const WAIT_MS = 60_000;
