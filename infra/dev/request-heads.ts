// Finds each request head in a client's HTTP/1.1 byte stream and rewrites it, passing bodies through
// untouched: just enough framing (Content-Length, chunked, upgrade) to keep a connection alive.
// Pure and synchronous; dev-proxy.ts feeds it socket chunks.

/** Request heads past this size are refused, as servers commonly do. */
export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE_BYTES = 4 * 1024;

const REQUEST_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP\/1\.[01]$/;
const CRLF = Buffer.from("\r\n");
const HEAD_END = Buffer.from("\r\n\r\n");

export interface HeadRewrite {
  /** Header lines appended to every head. */
  add: string[];
  /** Lower-case names of headers a client may not send (dropped). */
  drop: (name: string) => boolean;
}

/** A piece of the stream to send on; a head says how long a body it announced (Content-Length). */
export interface Part {
  data: Buffer;
  head?: { declaredLength: number | undefined };
}

/** What the request asks of the framing after its head. */
type Body = { kind: "none" } | { kind: "fixed"; left: number } | { kind: "chunked" } | { kind: "raw" };

/** A rewritten head and how its body is framed; null when the head is not well-formed HTTP/1.x. */
export function rewriteHead(head: string, rewrite: HeadRewrite): { head: string; body: Body } | null {
  const [requestLine = "", ...lines] = head.split("\r\n");
  if (!REQUEST_LINE.test(requestLine)) return null;
  const kept: string[] = [];
  let length: string | undefined;
  let chunked = false;
  let upgrade = false;
  for (const line of lines) {
    const colon = line.indexOf(":");
    // Obsolete line folding and malformed names are refused (RFC 9112, 5.2): nothing to guess at.
    if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) return null;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "content-length") {
      if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== value)) return null;
      length = value;
    } else if (name === "transfer-encoding") {
      chunked = value.toLowerCase().split(",").at(-1)?.trim() === "chunked";
      if (!chunked) return null; // no other coding can be framed
    } else if (name === "upgrade") upgrade = true;
    if (!rewrite.drop(name)) kept.push(line);
  }
  // Both framings at once is how requests are smuggled: refused, as RFC 9112 (6.3) allows.
  if (chunked && length !== undefined) return null;
  const body: Body = upgrade
    ? { kind: "raw" }
    : chunked
      ? { kind: "chunked" }
      : length !== undefined && Number(length) > 0
        ? { kind: "fixed", left: Number(length) }
        : { kind: "none" };
  return { head: `${[requestLine, ...kept, ...rewrite.add].join("\r\n")}\r\n\r\n`, body };
}

/**
 * Feed it what the client sends; it returns what to send on. After an upgrade head everything passes
 * as is (the upgraded protocol, or further requests if the upgrade was refused: workerd frames those).
 */
export class RequestHeadRewriter {
  private readonly rewrite: HeadRewrite;
  private pending = Buffer.alloc(0);
  private body: Body = { kind: "none" };
  private inTrailers = false;
  private chunkLeft = 0;

  constructor(rewrite: HeadRewrite) {
    this.rewrite = rewrite;
  }

  /** The bytes to send on, or null when the stream is not HTTP this can frame (answer 400, hang up). */
  push(chunk: Buffer): Part[] | null {
    if (this.body.kind === "raw") return [{ data: chunk }];
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Part[] = [];
    for (;;) {
      const step = this.step();
      if (step === null) return null;
      if (step === "more") return out;
      out.push(step);
      if (this.isRaw()) {
        if (this.pending.length > 0) out.push({ data: this.pending });
        this.pending = Buffer.alloc(0);
        return out;
      }
    }
  }

  /** Whether a request body is still expected from the client. */
  get inBody(): boolean {
    return this.body.kind === "fixed" || this.body.kind === "chunked";
  }

  private isRaw(): boolean {
    return this.body.kind === "raw";
  }

  private take(bytes: number): Buffer {
    const taken = this.pending.subarray(0, bytes);
    this.pending = this.pending.subarray(bytes);
    return taken;
  }

  private step(): Part | "more" | null {
    if (this.pending.length === 0) return "more";
    switch (this.body.kind) {
      case "none": {
        const end = this.pending.indexOf(HEAD_END);
        if (end === -1) return this.pending.length > MAX_HEAD_BYTES ? null : "more";
        const parsed = rewriteHead(
          this.take(end + 4)
            .subarray(0, end)
            .toString("latin1"),
          this.rewrite,
        );
        if (!parsed) return null;
        this.body = parsed.body;
        const declaredLength = parsed.body.kind === "fixed" ? parsed.body.left : undefined;
        return { data: Buffer.from(parsed.head, "latin1"), head: { declaredLength } };
      }
      case "fixed": {
        const part = this.take(Math.min(this.body.left, this.pending.length));
        this.body.left -= part.length;
        if (this.body.left === 0) this.body = { kind: "none" };
        return { data: part };
      }
      case "chunked": {
        const part = this.chunkedStep();
        return part === "more" || part === null ? part : { data: part };
      }
      case "raw":
        return { data: this.take(this.pending.length) };
    }
  }

  /** Chunk data passes as it comes; size lines and trailers are only looked at to find the end. */
  private chunkedStep(): Buffer | "more" | null {
    if (this.chunkLeft > 0) {
      const part = this.take(Math.min(this.chunkLeft, this.pending.length));
      this.chunkLeft -= part.length;
      return part;
    }
    const end = this.pending.indexOf(CRLF);
    if (end === -1) return this.pending.length > MAX_CHUNK_LINE_BYTES ? null : "more";
    const line = this.pending.subarray(0, end).toString("latin1");
    if (this.inTrailers) {
      if (line === "") {
        this.inTrailers = false;
        this.body = { kind: "none" };
      }
      return this.take(end + 2);
    }
    if (line === "") return this.take(end + 2); // the CRLF that closes a chunk's data
    const size = /^([0-9a-fA-F]{1,12})(?:[ \t]*;.*)?$/.exec(line);
    if (!size?.[1]) return null;
    const bytes = Number.parseInt(size[1], 16);
    if (bytes === 0) this.inTrailers = true;
    else this.chunkLeft = bytes;
    return this.take(end + 2);
  }
}
