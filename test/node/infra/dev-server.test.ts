// The dev server's pure parts: where it listens (DEV_HOST), and how request heads are found and
// rewritten in a client's byte stream (framing, refusals of what cannot be framed).
import { describe, expect, it } from "vitest";
import { devHost } from "../../../infra/dev/dev-host.ts";
import {
  type HeadRewrite,
  MAX_HEAD_BYTES,
  RequestHeadRewriter,
  rewriteHead,
} from "../../../infra/dev/request-heads.ts";

const rewrite: HeadRewrite = { add: ["MF-Route-Override: api"], drop: (name) => name.startsWith("mf-") };
const text = (parts: { data: Buffer }[] | null) => parts?.map((part) => part.data.toString("latin1")).join("") ?? null;

describe("DEV_HOST", () => {
  it("defaults to loopback and announces localhost", () => {
    expect(devHost({})).toEqual({ host: "127.0.0.1", announce: "localhost", exposed: false });
    expect(devHost({ DEV_HOST: "localhost" })).toMatchObject({ host: "127.0.0.1", exposed: false });
    expect(devHost({ DEV_HOST: "::1" })).toMatchObject({ host: "::1", exposed: false });
  });

  it("exposes the server only when asked, and says so", () => {
    expect(devHost({ DEV_HOST: "0.0.0.0" })).toEqual({ host: "0.0.0.0", announce: "localhost", exposed: true });
    expect(devHost({ DEV_HOST: "192.0.2.7" })).toEqual({ host: "192.0.2.7", announce: "192.0.2.7", exposed: true });
  });

  it("refuses anything but an IP address or localhost", () => {
    for (const bad of ["example.com", "0.0.0.0:80", "*"]) {
      expect(() => devHost({ DEV_HOST: bad }), bad).toThrow(/DEV_HOST/);
    }
  });
});

describe("request heads", () => {
  it("drops reserved headers and adds the route to every head", () => {
    const out = rewriteHead("GET /x HTTP/1.1\r\nHost: a\r\nMF-Original-URL: http://evil/\r\nX-Keep: 1", rewrite);
    expect(out?.head).toBe("GET /x HTTP/1.1\r\nHost: a\r\nX-Keep: 1\r\nMF-Route-Override: api\r\n\r\n");
  });

  it("refuses heads it cannot frame safely", () => {
    const bad = [
      "NOT A REQUEST LINE",
      "GET / HTTP/1.1\r\nHost a",
      "GET / HTTP/1.1\r\nX: 1\r\n folded",
      "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked",
      "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6",
      "POST / HTTP/1.1\r\nContent-Length: -1",
      "POST / HTTP/1.1\r\nTransfer-Encoding: gzip",
    ];
    for (const head of bad) expect(rewriteHead(head, rewrite), head).toBeNull();
  });

  it("rewrites every head on a kept-alive connection, bodies untouched, in any chunking", () => {
    const stream =
      "POST /a HTTP/1.1\r\nContent-Length: 11\r\nMF-X: 1\r\n\r\nMF-Y: body!" +
      "POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nMF-Z\r\n0\r\nTrailer: t\r\n\r\n" +
      "GET /c HTTP/1.1\r\n\r\n";
    const expected =
      "POST /a HTTP/1.1\r\nContent-Length: 11\r\nMF-Route-Override: api\r\n\r\nMF-Y: body!" +
      "POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\nMF-Route-Override: api\r\n\r\n4\r\nMF-Z\r\n0\r\nTrailer: t\r\n\r\n" +
      "GET /c HTTP/1.1\r\nMF-Route-Override: api\r\n\r\n";
    for (const size of [1, 3, 7, stream.length]) {
      const rewriter = new RequestHeadRewriter(rewrite);
      let out = "";
      for (let i = 0; i < stream.length; i += size) out += text(rewriter.push(Buffer.from(stream.slice(i, i + size))));
      expect(out, `chunks of ${size}`).toBe(expected);
    }
  });

  it("announces a declared body length with its head, and passes an upgrade's bytes raw", () => {
    const rewriter = new RequestHeadRewriter(rewrite);
    const parts = rewriter.push(Buffer.from("POST / HTTP/1.1\r\nContent-Length: 70000\r\n\r\nab")) ?? [];
    expect(parts.map((part) => part.head)).toEqual([{ declaredLength: 70_000 }, undefined]);
    expect(rewriter.inBody).toBe(true);

    const upgrade = new RequestHeadRewriter(rewrite);
    const frames = "\x81\x05hello MF-Not-A-Header: 1\r\n\r\n";
    expect(text(upgrade.push(Buffer.from(`GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n${frames}`, "latin1")))).toBe(
      `GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nMF-Route-Override: api\r\n\r\n${frames}`,
    );
    expect(text(upgrade.push(Buffer.from("GET / HTTP/1.1\r\nMF-X: 1\r\n\r\n")))).toBe(
      "GET / HTTP/1.1\r\nMF-X: 1\r\n\r\n",
    );
  });

  it("refuses an endless head and a bad chunk size", () => {
    expect(new RequestHeadRewriter(rewrite).push(Buffer.alloc(MAX_HEAD_BYTES + 1, 65))).toBeNull();
    const chunked = new RequestHeadRewriter(rewrite);
    expect(chunked.push(Buffer.from("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))).toBeNull();
  });
});
