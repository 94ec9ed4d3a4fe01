// The opaque `nextCursor` of the API-key list: the (created_at, id) of the last key on a page.
import { apiError } from "../http/errors.ts";
import { fromBase64Url, toBase64Url } from "../shared/bytes.ts";

export interface ApiKeyCursor {
  createdAt: number;
  id: string;
}

const CURSOR_TEXT = /^(\d{1,16}):([0-9a-f-]{36})$/;

export function encodeApiKeyCursor({ createdAt, id }: ApiKeyCursor): string {
  return toBase64Url(new TextEncoder().encode(`${createdAt}:${id}`));
}

export function decodeApiKeyCursor(cursor: string): ApiKeyCursor {
  const match = CURSOR_TEXT.exec(decodeText(cursor) ?? "");
  if (!match?.[1] || !match[2]) {
    throw apiError("bad_request", { message: "The cursor is not valid; pass back a nextCursor exactly as received." });
  }
  return { createdAt: Number(match[1]), id: match[2] };
}

function decodeText(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    return new TextDecoder().decode(fromBase64Url(cursor));
  } catch {
    return null;
  }
}
