// Inputs the fuzzer found answered 500 or altered: JSON nested too deep for the object's validator,
// text with lone surrogates (which SQLite cannot store as sent), and tickets no header can carry.
import { describe, expect, it } from "vitest";
import { bearer, call, postJson, signUpUser, type TestUser } from "../helpers/auth.ts";
import { clientFor, createSession } from "../helpers/client.ts";
import { config } from "../helpers/config.ts";
import { refusalOf } from "../helpers/refusals.ts";
import { connect, upgrade } from "../helpers/sockets.ts";
import { LONE_SURROGATE, UNICODE_EDGE_CASES } from "../helpers/unicode.ts";

/** `{"a":{"a":…{"a":1}}}`: `depth` objects inside each other. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}

const nestedText = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

/** The deepest nesting (`perLevel` bytes a level) that stays under `limit` with room for the rest: depth, not size, is refused. */
const deepestUnder = (limit: number, perLevel: number, wanted: number) =>
  Math.min(wanted, Math.floor((limit - 1024) / perLevel));

async function ownerWithSession() {
  const user = await signUpUser();
  const session = await createSession(clientFor(user), { title: "edge cases" });
  return { user, sessionId: session.id };
}

const sendJson = (user: TestUser, method: string, path: string, text: string) =>
  call(path, { method, headers: { ...bearer(user.token), "content-type": "application/json" }, body: text });

describe("deeply nested metadata", () => {
  it("is refused with 422 wherever metadata is taken, and nothing is written", async () => {
    const { user, sessionId } = await ownerWithSession();
    const arrays = deepestUnder(config.MAX_BODY_BYTES, 2, 30_000);
    const deepArrays = `{"a":${"[".repeat(arrays)}${"]".repeat(arrays)}}`;
    const depths = [33, 2_000, deepestUnder(config.MAX_BODY_BYTES, 6, 10_000)];
    for (const metadata of depths.map((depth) => `{"a":${nestedText(depth - 1)}}`).concat(deepArrays)) {
      const answers = [
        await sendJson(user, "POST", "/v1/sessions", `{"metadata":${metadata}}`),
        await sendJson(user, "PATCH", `/v1/sessions/${sessionId}`, `{"metadata":${metadata}}`),
        await sendJson(user, "POST", `/v1/sessions/${sessionId}/messages`, `{"content":"x","metadata":${metadata}}`),
      ];
      for (const res of answers) {
        expect(res.status, `${metadata.length} characters of metadata`).toBe(422);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
      }
    }
    const sessions = (await (await call("/v1/sessions", { headers: bearer(user.token) })).json()) as {
      items: unknown[];
    };
    expect(sessions.items).toHaveLength(1);
    const session = (await (await call(`/v1/sessions/${sessionId}`, { headers: bearer(user.token) })).json()) as {
      session: { metadata: unknown; lastSeq: number };
    };
    expect(session.session).toMatchObject({ metadata: {}, lastSeq: 0 });
  });

  it("is accepted up to 32 levels", async () => {
    const { user, sessionId } = await ownerWithSession();
    const res = await postJson(
      `/v1/sessions/${sessionId}/messages`,
      { content: "x", metadata: nested(32) },
      bearer(user.token),
    );
    expect(res.status).toBe(201);
  });

  it("over a WebSocket gets an error frame; the socket stays open and nothing is written", async () => {
    const { user, sessionId } = await ownerWithSession();
    const socket = await connect(user, sessionId);
    const depth = deepestUnder(config.WS_MAX_FRAME_BYTES, 2, 30_000);
    socket.send(
      `{"v":1,"type":"message.create","ref":"deep","content":"x","metadata":{"a":${"[".repeat(depth)}${"]".repeat(depth)}}}`,
    );
    expect(await socket.next("error")).toMatchObject({ code: "validation_failed", ref: "deep" });
    socket.send({ v: 1, type: "message.create", ref: "flat", content: "still here" });
    expect((await socket.next("message.created")).message).toMatchObject({ seq: 1, content: "still here" });
  });
});

describe("text with Unicode edge cases", () => {
  it("is stored exactly as acknowledged, or refused with 422 when it holds a lone surrogate", async () => {
    const user = await signUpUser();
    const sessionId = (await createSession(clientFor(user), { title: "text" })).id;
    const auth = bearer(user.token);
    for (const [i, { name, value }] of UNICODE_EDGE_CASES.entries()) {
      const refused = LONE_SURROGATE.test(value);
      const key = `text-${i}`;
      const first = await postJson(
        `/v1/sessions/${sessionId}/messages`,
        { content: value },
        { ...auth, "idempotency-key": key },
      );
      const retry = await postJson(
        `/v1/sessions/${sessionId}/messages`,
        { content: value },
        { ...auth, "idempotency-key": key },
      );
      if (refused) {
        expect([first.status, retry.status], name).toEqual([422, 422]);
        continue;
      }
      expect([first.status, retry.status], name).toEqual([201, 200]);
      const created = ((await first.json()) as { message: { id: string; seq: number; content: string } }).message;
      expect(((await retry.json()) as { message: { id: string } }).message.id, name).toBe(created.id);
      const page = (await (
        await call(`/v1/sessions/${sessionId}/messages?after=${created.seq - 1}&limit=1`, { headers: auth })
      ).json()) as {
        items: { content: string }[];
      };
      expect(page.items[0]?.content, name).toBe(value);
    }
  });

  it("in titles and names is refused when it holds a lone surrogate", async () => {
    for (const value of ["a\ud800b", "\udc00"]) {
      const user = await signUpUser();
      const auth = bearer(user.token);
      const { id } = await createSession(clientFor(user), { title: "ok" });
      const answers = [
        await postJson("/v1/sessions", { title: value }, auth),
        await sendJson(user, "PATCH", `/v1/sessions/${id}`, JSON.stringify({ title: value })),
        await postJson(`/v1/sessions/${id}/tasks`, { title: value }, auth),
        await postJson("/v1/api-keys", { name: value }, auth),
        await postJson("/v1/auth/signup", {
          email: `x-${crypto.randomUUID()}@example.com`,
          password: "long enough password",
          name: value,
        }),
      ];
      expect(answers.map((res) => res.status)).toEqual([422, 422, 422, 422, 422]);
    }
  });
});

describe("a WebSocket ticket no header can carry", () => {
  it("is refused with 4401 like any other invalid ticket", async () => {
    const { sessionId } = await ownerWithSession();
    for (const ticket of ["a%00b", "%0D%0Aset-cookie:%20x", "swt_%E2%80%AE"]) {
      const refusal = await refusalOf(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`));
      expect(refusal, ticket).toMatchObject({ closeCode: 4401, error: { code: "invalid_ticket" } });
    }
  });
});
