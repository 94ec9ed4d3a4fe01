// The deploy's credential check: real values required, and a pointer to the right kind of secret in Actions.
import { describe, expect, it } from "vitest";
import {
  assertDeployCredentials,
  PLACEHOLDER_ACCOUNT_ID,
  PLACEHOLDER_API_TOKEN,
} from "../../../infra/core/credentials.ts";

const real = { CLOUDFLARE_API_TOKEN: "a-real-token", CLOUDFLARE_ACCOUNT_ID: "f".repeat(32) };

describe("assertDeployCredentials", () => {
  it("accepts real credentials", () => {
    expect(() => assertDeployCredentials(real)).not.toThrow();
  });

  it("names each missing variable", () => {
    expect(() => assertDeployCredentials({})).toThrow(/needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID/);
    expect(() => assertDeployCredentials({ ...real, CLOUDFLARE_ACCOUNT_ID: "" })).toThrow(
      /needs CLOUDFLARE_ACCOUNT_ID \(/,
    );
  });

  it("in GitHub Actions, points at the PREVIEW_* repository secrets and the environments, not a repository secret", () => {
    const error = () => assertDeployCredentials({ GITHUB_ACTIONS: "true" });
    expect(error).toThrow(/PREVIEW_\* repository secrets/);
    expect(error).toThrow(/never make production's values repository secrets/);
    expect(() => assertDeployCredentials({})).not.toThrow(/PREVIEW_/);
  });

  it("refuses the local-dev placeholders", () => {
    expect(() => assertDeployCredentials({ ...real, CLOUDFLARE_API_TOKEN: PLACEHOLDER_API_TOKEN })).toThrow(
      /placeholder/,
    );
    expect(() => assertDeployCredentials({ ...real, CLOUDFLARE_ACCOUNT_ID: PLACEHOLDER_ACCOUNT_ID })).toThrow(
      /placeholder/,
    );
  });
});
