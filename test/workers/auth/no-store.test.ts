// Cache-Control: no-store on every /v1 answer (secrets, errors and all), checked by walking every
// route the OpenAPI document lists, and on each response that carries a secret.
import { describe, expect, it } from "vitest";
import { bearer, call, postJson, signUpUser } from "../helpers/auth.ts";

type Operations = Record<string, Record<string, unknown>>;

const noStore = (res: Response) => res.headers.get("cache-control");

describe("Cache-Control: no-store", () => {
  it("is on every /v1 route's answer, authenticated or not, whatever the status", async () => {
    const doc = (await (await call("/openapi.json")).json()) as { paths: Operations };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, "x1") })),
    );
    // Logout ends the walk's token, so it goes last; nothing else the walk sends revokes it.
    const isLogout = (route: { path: string }) => route.path === "/v1/auth/logout";
    const v1 = routes
      .filter((route) => route.path.startsWith("/v1/"))
      .sort((a, b) => Number(isLogout(a)) - Number(isLogout(b)));
    expect(v1.length).toBeGreaterThan(15);
    const user = await signUpUser();
    const seen: string[] = [];
    for (const { method, path } of v1) {
      for (const headers of [bearer(user.token), {}]) {
        const hasBody = method === "POST" || method === "PATCH" || method === "PUT";
        const res = await call(path, {
          method,
          headers: { ...headers, ...(hasBody ? { "content-type": "application/json" } : {}) },
          body: hasBody ? "{}" : undefined,
        });
        seen.push(`${method} ${path} ${res.status}`);
        expect(noStore(res), `${method} ${path} → ${res.status}`).toBe("no-store");
      }
    }
    // The walk met successes, refusals and validation failures alike.
    expect(seen.some((line) => line.endsWith(" 200"))).toBe(true);
    expect(seen.some((line) => line.endsWith(" 401"))).toBe(true);
    expect(seen.some((line) => line.endsWith(" 422"))).toBe(true);
    // Some sixty requests: a loaded machine gets time, the test does not race a clock.
  }, 60_000);

  it("is on every response that carries a secret: signup, login, key creation, tickets", async () => {
    const email = `secret-${crypto.randomUUID()}@example.com`;
    const signup = await postJson("/v1/auth/signup", { email, password: "correct horse battery" });
    expect(signup.status).toBe(201);
    expect(noStore(signup)).toBe("no-store");
    const { token } = (await signup.json()) as { token: string };

    const login = await postJson("/v1/auth/login", { email, password: "correct horse battery" });
    expect(login.status).toBe(200);
    expect(noStore(login)).toBe("no-store");

    const key = await postJson("/v1/api-keys", { name: "k" }, bearer(token));
    expect(key.status).toBe(201);
    expect(noStore(key)).toBe("no-store");

    const session = await postJson("/v1/sessions", {}, bearer(token));
    const { session: created } = (await session.json()) as { session: { id: string } };
    const ticket = await call(`/v1/sessions/${created.id}/ws-ticket`, { method: "POST", headers: bearer(token) });
    expect(ticket.status).toBe(201);
    expect(noStore(ticket)).toBe("no-store");

    const tokens = await call("/v1/auth/tokens", { headers: bearer(token) });
    expect(tokens.status).toBe(200);
    expect(noStore(tokens)).toBe("no-store");
  });

  it("is on a rate-limited answer too", async () => {
    const user = await signUpUser();
    let res: Response | undefined;
    const ip = `2001:db8:${crypto.getRandomValues(new Uint16Array(1))[0]?.toString(16)}:1::1`;
    for (let i = 0; i < 20 && res?.status !== 429; i++) {
      res = await postJson(
        "/v1/auth/login",
        { email: user.email, password: "wrong password" },
        { "cf-connecting-ip": ip },
      );
    }
    expect(res?.status).toBe(429);
    expect(res && noStore(res)).toBe("no-store");
  });
});
