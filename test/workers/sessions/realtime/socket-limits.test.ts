// The socket caps as a pure rule, and the configuration that feeds them.

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getRealtimeLimits } from "../../../../src/config/realtime-limits.ts";
import type { Role } from "../../../../src/sessions/model.ts";
import type { Attachment } from "../../../../src/sessions/object/attachment.ts";
import { socketLimitRefusal } from "../../../../src/sessions/object/socket-limits.ts";

const limits = { maxSocketsPerSession: 6, maxSocketsPerUser: 2 };
const socket = (userId: string, role: Role): Attachment => ({ userId, role, credentialId: null, expiresAt: null });

describe("socketLimitRefusal", () => {
  it("refuses a user's socket past their cap, whatever their role", () => {
    const open = [socket("a", "editor"), socket("a", "editor")];
    expect(socketLimitRefusal(open, "a", "editor", limits)?.code).toBe("user_socket_limit");
    expect(socketLimitRefusal(open, "b", "editor", limits)).toBeNull();
    const owner = [socket("o", "owner"), socket("o", "owner")];
    expect(socketLimitRefusal(owner, "o", "owner", limits)?.code).toBe("user_socket_limit");
  });

  it("keeps the owner's share: non-owners stop at session minus one user's cap, the owner does not", () => {
    const open = ["a", "a", "b", "b"].map((id) => socket(id, "viewer"));
    expect(socketLimitRefusal(open, "c", "editor", limits)?.code).toBe("session_full");
    expect(socketLimitRefusal(open, "o", "owner", limits)).toBeNull();
    const full = [...open, socket("o", "owner"), socket("o", "owner")];
    expect(socketLimitRefusal(full, "c", "viewer", limits)?.code).toBe("session_full");
  });
});

describe("real-time limits configuration", () => {
  // The tests' Worker variables (vitest.config.ts), with some changed: each object is parsed as its own config.
  const vars = (overrides: Record<string, string>) => ({ ...env, ...overrides });

  it("reads the variables, with a re-check no longer than the 30 s credential cache", () => {
    const recheck = Number(env.WS_ACCESS_RECHECK_SECONDS) * 1000;
    const perUser = Number(env.WS_MAX_SOCKETS_PER_USER);
    expect(getRealtimeLimits(vars({}))).toMatchObject({ maxSocketsPerUser: perUser, accessRecheckMs: recheck });
    expect(() => getRealtimeLimits(vars({ WS_ACCESS_RECHECK_SECONDS: "31" }))).toThrow(/WS_ACCESS_RECHECK_SECONDS/);
    expect(() => getRealtimeLimits(vars({ WS_ACCESS_RECHECK_SECONDS: "0" }))).toThrow(/WS_ACCESS_RECHECK_SECONDS/);
  });

  it("refuses a per-user cap that leaves no room below the session's", () => {
    const bad = vars({ WS_MAX_SOCKETS_PER_SESSION: "4", WS_MAX_SOCKETS_PER_USER: "4" });
    expect(() => getRealtimeLimits(bad)).toThrow(/WS_MAX_SOCKETS_PER_USER/);
  });
});
