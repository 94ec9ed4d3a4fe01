// Brute-force limits that cannot be turned against the user: counted per (email, client network),
// with a per-email ceiling that spares networks the account signed in from, per network across
// emails, and signups per network; 429 with Retry-After, through LoginLimiterDO.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clientNetwork, ipv6Prefix64 } from "../../../src/auth/client-network.ts";
import { randomClientIp, signUpUser, uniqueEmail } from "../helpers/auth.ts";
import { callWithVars } from "../helpers/env-override.ts";

const perPair = Number(env.LOGIN_ATTEMPTS_PER_EMAIL_AND_IP);
const windowSeconds = Number(env.LOGIN_ATTEMPT_WINDOW_SECONDS);

/** callWithVars waits for the response's background work (the limiter's success record) too. */
function login(email: string, password: string, ip: string, vars: Record<string, string> = {}) {
  return callWithVars(vars, "/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ email, password }),
  });
}

function signup(email: string, ip: string, vars: Record<string, string> = {}) {
  return callWithVars(vars, "/v1/auth/signup", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ email, password: "correct horse battery" }),
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

// Each test sends a few dozen logins, each a full PBKDF2: give a loaded machine time.
describe("login limits", { timeout: 30_000 }, () => {
  it("blocks an attacker's network after LOGIN_ATTEMPTS_PER_EMAIL_AND_IP, never the account holder", async () => {
    const user = await signUpUser();
    const attacker = randomClientIp();
    for (let i = 0; i < perPair; i++) expect((await login(user.email, "wrong password", attacker)).status).toBe(401);
    // Even the right password is refused from the attacker's network: the limit is on the pair.
    const blocked = await login(user.email.toUpperCase(), user.password, attacker);
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toEqual({
      error: { code: "rate_limited", message: "Too many requests; try again later." },
    });
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(windowSeconds - 60);
    expect(retryAfter).toBeLessThanOrEqual(windowSeconds);

    // The account holder, from their own network, signs in as usual.
    expect((await login(user.email, user.password, randomClientIp())).status).toBe(200);
  });

  it("a success forgives only its own network: the attacker's count survives it", async () => {
    const user = await signUpUser();
    const attacker = randomClientIp();
    for (let i = 0; i < perPair - 1; i++) await login(user.email, "wrong password", attacker);
    expect((await login(user.email, user.password, randomClientIp())).status).toBe(200);
    expect((await login(user.email, "wrong password", attacker)).status).toBe(401);
    expect((await login(user.email, "wrong password", attacker)).status).toBe(429);
  });

  it("a success forgives its own network's typos", async () => {
    const user = await signUpUser();
    const home = randomClientIp();
    for (let i = 0; i < perPair - 1; i++) await login(user.email, "typo password", home);
    expect((await login(user.email, user.password, home)).status).toBe(200);
    for (let i = 0; i < perPair - 1; i++) expect((await login(user.email, "typo password", home)).status).toBe(401);
  });

  it("caps an email at LOGIN_ATTEMPTS_PER_EMAIL from new networks, but not from one that signed in before", async () => {
    const vars = { LOGIN_ATTEMPTS_PER_EMAIL_AND_IP: "2", LOGIN_ATTEMPTS_PER_EMAIL: "4" };
    const user = await signUpUser();
    const home = randomClientIp();
    expect((await login(user.email, user.password, home, vars)).status).toBe(200);
    // A distributed attack: a new network for every guess.
    for (let i = 0; i < 4; i++)
      expect((await login(user.email, "wrong password", randomClientIp(), vars)).status).toBe(401);
    const fromNewNetwork = await login(user.email, user.password, randomClientIp(), vars);
    expect(fromNewNetwork.status).toBe(429);
    expect(Number(fromNewNetwork.headers.get("retry-after"))).toBeGreaterThan(0);
    // The network the account signed in from before is exempt from the ceiling.
    expect((await login(user.email, user.password, home, vars)).status).toBe(200);
  });

  it("counts an IPv6 client by its /64: hopping addresses inside it does not buy guesses", async () => {
    const user = await signUpUser();
    const prefix = randomClientIp().split("::")[0];
    const address = (i: number) => `${prefix}::${(i + 1).toString(16)}`;
    for (let i = 0; i < perPair; i++) await login(user.email, "wrong password", address(i));
    expect((await login(user.email, user.password, address(perPair))).status).toBe(429);
  });

  it("blocks a client network after LOGIN_ATTEMPTS_PER_IP attempts, whatever the emails", async () => {
    const vars = { LOGIN_ATTEMPTS_PER_IP: "3" };
    const ip = randomClientIp();
    for (let i = 0; i < 3; i++) expect((await login(uniqueEmail(), "wrong password", ip, vars)).status).toBe(401);
    const blocked = await login(uniqueEmail(), "wrong password", ip, vars);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await login(uniqueEmail(), "wrong password", randomClientIp(), vars)).status).toBe(401);
  });
});

describe("signup limits", { timeout: 30_000 }, () => {
  it("limits signups per client network to SIGNUPS_PER_IP, taken emails included", async () => {
    const vars = { SIGNUPS_PER_IP: "2" };
    const ip = randomClientIp();
    const taken = await signUpUser();
    expect((await signup(uniqueEmail(), ip, vars)).status).toBe(201);
    expect((await signup(taken.email, ip, vars)).status).toBe(409);
    const blocked = await signup(uniqueEmail(), ip, vars);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // Probing whether an address has an account costs the same budget.
    expect((await signup(taken.email, ip, vars)).status).toBe(429);
    expect((await signup(uniqueEmail(), randomClientIp(), vars)).status).toBe(201);
  });

  it("spends the password hash only on a signup that can succeed", async () => {
    const taken = await signUpUser();
    const derive = vi.spyOn(crypto.subtle, "deriveBits");
    expect((await signup(taken.email.toUpperCase(), randomClientIp())).status).toBe(409);
    expect(derive).not.toHaveBeenCalled();
    expect((await signup(uniqueEmail(), randomClientIp())).status).toBe(201);
    expect(derive).toHaveBeenCalledTimes(1);
  });
});

describe("client networks", () => {
  it("reduces IPv6 to its /64 and keeps IPv4 whole", () => {
    expect(ipv6Prefix64("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(ipv6Prefix64("2001:DB8:0001:02::9")).toBe("2001:db8:1:2::/64");
    expect(ipv6Prefix64("::1")).toBe("0:0:0:0::/64");
    expect(ipv6Prefix64("2001:db8::")).toBe("2001:db8:0:0::/64");
    expect(ipv6Prefix64("1:2:3:4:5:6:7:8:9")).toBeNull();
    expect(ipv6Prefix64("1::2::3")).toBeNull();
    expect(ipv6Prefix64("not:an:address")).toBeNull();
    const from = (ip?: string) =>
      clientNetwork(new Request("https://x", { headers: ip ? { "cf-connecting-ip": ip } : {} }));
    expect(from("203.0.113.7")).toBe("203.0.113.7");
    expect(from("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(from("2001:db8:a:b:c:d:e:f")).toBe("2001:db8:a:b::/64");
    expect(from()).toBe("unknown");
  });
});
