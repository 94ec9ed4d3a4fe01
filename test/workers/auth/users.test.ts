// findUserByEmail: the lookup other features use to address a person (sharing a session by email).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findUserByEmail } from "../../../src/auth/index.ts";
import { signUpUser, uniqueEmail } from "../helpers/auth.ts";

describe("findUserByEmail", () => {
  it("finds a user whatever the case and surrounding spaces, without secrets", async () => {
    const user = await signUpUser({ name: "Lin" });
    const found = await findUserByEmail(env.DB, `  ${user.email.toUpperCase()} `);
    expect(found).toEqual({ id: user.id, email: user.email, name: "Lin" });
  });

  it("answers null for an unknown email", async () => {
    expect(await findUserByEmail(env.DB, uniqueEmail())).toBeNull();
  });
});
