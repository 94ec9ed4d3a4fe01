// Opaque pagination cursors: what `nextCursor` holds and `?cursor=` takes back, checked on the way in.

import { apiError } from "../../http/errors.ts";
import { fromBase64Url, toBase64Url } from "../../shared/bytes.ts";
import type { ActivityCursor } from "./index-store.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function decodeText(text: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    return decoder.decode(fromBase64Url(text));
  } catch {
    return null;
  }
}

const invalid = () =>
  apiError("bad_request", { message: "The cursor is not valid; pass back a nextCursor exactly as received." });

export function encodeActivityCursor({ lastActivityAt, id }: ActivityCursor): string {
  return toBase64Url(encoder.encode(`${lastActivityAt}:${id}`));
}

export function decodeActivityCursor(cursor: string): ActivityCursor {
  const match = /^(\d{1,16}):(ses_[A-Za-z0-9_-]{22})$/.exec(decodeText(cursor) ?? "");
  if (!match?.[1] || !match[2]) throw invalid();
  return { lastActivityAt: Number(match[1]), id: match[2] };
}

/** Message pages continue forward (`after`) or backward (`before`) from a seq. */
export type SeqCursor = { after: number } | { before: number };

export function encodeSeqCursor(cursor: SeqCursor): string {
  return "after" in cursor ? `a${cursor.after}` : `b${cursor.before}`;
}

export function decodeSeqCursor(cursor: string): SeqCursor {
  const match = /^([ab])(\d{1,15})$/.exec(cursor);
  if (!match?.[1] || !match[2]) throw invalid();
  const seq = Number(match[2]);
  return match[1] === "a" ? { after: seq } : { before: seq };
}
