import { describe, expect, it } from "vitest";
import { probeAccount, probeSignedIn } from "../../../infra/delivery/probe.ts";
import { type FakeStageOptions, fakeStage } from "./fake-stage.ts";

const SECRET = "alchemy-password-of-the-stage";
const KEY = "sk_probe_key_value";

async function probe(stage: ReturnType<typeof fakeStage>, credentials: { apiKey?: string; derivationSecret?: string }) {
  return probeSignedIn({
    stage: "prod",
    version: "0123456789ab",
    url: "https://api.example",
    fetch: stage.fetch,
    credentials,
  });
}

const fresh = (options?: FakeStageOptions) => fakeStage(options);

describe("the signed-in probe", () => {
  it("signs the stage's probe account up on its first deploy, logs into it afterwards, and leaves nothing behind", async () => {
    const stage = fresh();
    const first = await probe(stage, { derivationSecret: SECRET });
    expect(first, first.message).toMatchObject({ ok: true });
    expect(first.message).toContain("a new probe account");
    const second = await probe(stage, { derivationSecret: SECRET });
    expect(second.message).toContain("the stage's probe account");
    // One account per stage, however many deploys; every session deleted, every login token revoked.
    expect([...stage.accounts.keys()]).toEqual([probeAccount("prod", SECRET).email]);
    expect(stage.sessions.size).toBe(0);
    expect(stage.credentials.size).toBe(0);
    expect(stage.requests.filter((r) => r === "POST /v1/auth/signup")).toHaveLength(1);
  });

  it("derives a different, unguessable account per stage and secret, at an address that can never be a real user's", () => {
    const prod = probeAccount("prod", SECRET);
    expect(prod.email).toMatch(/^deploy-probe-[0-9a-f]{20}@probe\.invalid$/);
    expect(probeAccount("staging", SECRET).email).not.toBe(prod.email);
    expect(probeAccount("prod", "another secret").email).not.toBe(prod.email);
    expect(prod.password).not.toContain(SECRET);
  });

  it("uses PROBE_API_KEY when given: no account created, no logout, nothing left", async () => {
    const stage = fresh({ signupEnabled: false });
    stage.addApiKey("probe@example.com", "pw", KEY);
    const result = await probe(stage, { apiKey: KEY, derivationSecret: SECRET });
    expect(result, result.message).toMatchObject({ ok: true });
    expect(result.message).toContain("PROBE_API_KEY");
    expect(stage.accounts.size).toBe(1);
    expect(stage.credentials.has(KEY)).toBe(true);
    expect(stage.sessions.size).toBe(0);
    expect(stage.requests).not.toContain("POST /v1/auth/signup");
  });

  it("fails with the setup step when signup is off and there is no key yet", async () => {
    const result = await probe(fresh({ signupEnabled: false }), { derivationSecret: SECRET });
    expect(result.ok).toBe(false);
    expect(result.message).toContain("signup switched off (403 signup_disabled)");
    expect(result.message).toContain("PROBE_API_KEY");
  });

  it("fails naming the key when it is refused, and when it has no credential at all", async () => {
    const refused = await probe(fresh(), { apiKey: KEY });
    expect(refused.ok).toBe(false);
    expect(refused.message).toContain("PROBE_API_KEY was refused by stage prod (401 unauthorized)");
    const none = await probe(fresh(), {});
    expect(none.ok).toBe(false);
    expect(none.message).toContain("No credential for the signed-in probe");
  });

  it("fails when the probe account exists with another password (the secret changed)", async () => {
    const stage = fresh();
    stage.accounts.set(probeAccount("prod", SECRET).email, { password: "something else", id: "u" });
    const result = await probe(stage, { derivationSecret: SECRET });
    expect(result.ok).toBe(false);
    expect(result.message).toContain("refused the derived password");
  });

  it("fails when the written message is not read back, and still deletes the session and revokes its token", async () => {
    const stage = fresh({ losesMessages: true });
    const result = await probe(stage, { derivationSecret: SECRET });
    expect(result.ok).toBe(false);
    expect(result.message).toContain("did not return the message just written");
    expect(stage.sessions.size).toBe(0);
    expect(stage.credentials.size).toBe(0);
  });

  it("never prints a credential", async () => {
    const stage = fresh();
    stage.addApiKey("probe@example.com", "pw", KEY);
    const messages = [
      (await probe(stage, { apiKey: KEY })).message,
      (await probe(fresh({ losesMessages: true }), { derivationSecret: SECRET })).message,
      (await probe(fresh({ signupEnabled: false }), { derivationSecret: SECRET })).message,
    ].join("\n");
    for (const secret of [KEY, SECRET, probeAccount("prod", SECRET).password, "token-"]) {
      expect(messages).not.toContain(secret);
    }
  });
});
