// Refused upgrades are legible: every refusal is a socket with one `error` frame in the error model,
// closed at once with 4000 + the HTTP status; requests that are not upgrades keep plain HTTP answers.
import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CLOSE_CODES, isTerminalClose, refusalCloseCode } from "../../../../src/sessions/protocol.ts";
import { bearer, call, signUpUser } from "../../helpers/auth.ts";
import { clientFor, createSession } from "../../helpers/client.ts";
import { refusalOf } from "../../helpers/refusals.ts";
import { ticketFor, upgrade } from "../../helpers/sockets.ts";

async function ownerWithSession() {
  const user = await signUpUser();
  const session = await createSession(clientFor(user));
  return { user, sessionId: session.id };
}

describe("a refused upgrade", () => {
  it("answers 101 with an error frame, then closes with the refusal's code and a reason", async () => {
    const { sessionId } = await ownerWithSession();
    const res = await upgrade(`/v1/sessions/${sessionId}/ws`);
    // The auth challenge belongs to the HTTP refusal, not to the socket that replaces it.
    expect(res.headers.get("www-authenticate")).toBeNull();
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const refusal = await refusalOf(res);
    expect(refusal).toMatchObject({
      status: 101,
      closeCode: CLOSE_CODES.refusedUnauthorized,
      error: { v: 1, type: "error", code: "unauthorized" },
    });
    expect(refusal.reason).toBe(refusal.error.message);
  });

  it("carries validation details, for a bad query", async () => {
    const { user, sessionId } = await ownerWithSession();
    const refusal = await refusalOf(await upgrade(`/v1/sessions/${sessionId}/ws?since=-1`, bearer(user.token)));
    expect(refusal).toMatchObject({ closeCode: CLOSE_CODES.refusedInvalid, error: { code: "validation_failed" } });
    expect(refusal.error.details).toEqual([expect.objectContaining({ path: "since" })]);
  });

  it("relays the session object's own refusal (a used ticket)", async () => {
    const { user, sessionId } = await ownerWithSession();
    const ticket = await ticketFor(user, sessionId);
    const first = await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`);
    expect(first.webSocket).not.toBeNull();
    first.webSocket?.accept();
    first.webSocket?.close(1000, "done");
    const again = await refusalOf(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`));
    expect(again).toMatchObject({ closeCode: 4401, error: { code: "invalid_ticket" } });
  });

  it("refuses a disallowed Origin with 4403 and a stranger with 4404", async () => {
    const { user, sessionId } = await ownerWithSession();
    const ticket = await ticketFor(user, sessionId);
    const origin = { origin: "https://evil.example" };
    const evil = await refusalOf(await upgrade(`/v1/sessions/${sessionId}/ws?ticket=${ticket}`, origin));
    expect(evil).toMatchObject({ closeCode: 4403, error: { code: "origin_not_allowed" } });
    const stranger = await signUpUser();
    const refused = await refusalOf(await upgrade(`/v1/sessions/${sessionId}/ws`, bearer(stranger.token)));
    expect(refused).toMatchObject({ closeCode: 4404, error: { code: "not_found" } });
  });

  it("never wakes an object for a session that does not exist", async () => {
    const { user } = await ownerWithSession();
    const missing = "ses_AAAAAAAAAAAAAAAAAAAAAB";
    const before = (await listDurableObjectIds(env.SESSIONS)).length;
    for (const path of [`/v1/sessions/${missing}/ws`, `/v1/sessions/${missing}/ws?ticket=swt_${"A".repeat(43)}`]) {
      const refusal = await refusalOf(await upgrade(path, bearer(user.token)));
      expect(refusal.closeCode, path).toBe(CLOSE_CODES.refusedNotFound);
    }
    expect((await listDurableObjectIds(env.SESSIONS)).length).toBe(before);
  });

  it("keeps a plain HTTP answer for requests that are not upgrades", async () => {
    const { user, sessionId } = await ownerWithSession();
    const plain = await call(`/v1/sessions/${sessionId}/ws`, { headers: bearer(user.token) });
    expect(plain.status).toBe(426);
    expect(plain.headers.get("upgrade")).toBe("websocket");
    expect(await plain.json()).toMatchObject({ error: { code: "upgrade_required" } });
    const anonymous = await call(`/v1/sessions/${sessionId}/ws`);
    expect(anonymous.status).toBe(401);
  });
});

describe("close codes", () => {
  it("map refusals to 4000 + status, and server failures to 1011", () => {
    expect([401, 403, 404, 422, 429].map(refusalCloseCode)).toEqual([4401, 4403, 4404, 4422, 4429]);
    expect([500, 503].map(refusalCloseCode)).toEqual([1011, 1011]);
  });

  it("are final for every application code but 4429, and not for drops or server errors", () => {
    for (const code of [1000, 1008, 1009, 4004, 4401, 4403, 4404, 4422])
      expect(isTerminalClose(code), `${code}`).toBe(true);
    for (const code of [1001, 1005, 1006, 1011, 1012, 1013, 4429]) expect(isTerminalClose(code), `${code}`).toBe(false);
  });
});
