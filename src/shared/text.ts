// Checks on stored text and JSON shared by the edge schemas and the session object's inputs.

/**
 * SQLite (D1 and the objects) stores text as UTF-8, where an unpaired surrogate has no encoding: it
 * would be read back as U+FFFD, so the stored text would differ from what was acknowledged, and an
 * idempotent retry of it would look like a conflict. Such text is refused instead.
 */
export const isWellFormed = (text: string): boolean => text.isWellFormed();
export const NOT_WELL_FORMED = "Contains an unpaired surrogate: not valid Unicode text.";

/**
 * Deepest nesting accepted in JSON values. zod's JSON check recurses once per level, so input nested
 * thousands deep (a 64 KiB body holds 30,000 levels) would overflow the stack and fail as a 500.
 */
export const MAX_JSON_DEPTH = 32;
export const TOO_DEEP = `Nested deeper than ${MAX_JSON_DEPTH} levels.`;

/** Level by level, without recursion, and stopping as soon as the limit is passed. */
export function withinJsonDepth(value: unknown): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth += 1) {
    if (depth > MAX_JSON_DEPTH) return false;
    const next: unknown[] = [];
    for (const item of level) {
      if (typeof item === "object" && item !== null) next.push(...Object.values(item));
    }
    level = next;
  }
  return true;
}

const encoder = new TextEncoder();

/**
 * Whether text fits in `limit` UTF-8 bytes, and its size when that had to be measured. Encoding is
 * skipped in the common case: a UTF-16 code unit never takes more than 3 bytes.
 */
export function utf8Fits(text: string, limit: number): { fits: boolean; size?: number } {
  if (text.length * 3 <= limit) return { fits: true };
  const size = encoder.encode(text).byteLength;
  return { fits: size <= limit, size };
}
