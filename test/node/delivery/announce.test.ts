import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { announceDeploy, deployedCommit, parsePullRequest } from "../../../infra/delivery/announce.ts";
import { PREVIEW_COMMENT_MARKER, renderPreviewComment } from "../../../infra/delivery/preview-comment.ts";
import { releaseVersion } from "../../../infra/worker-vars.ts";
import { parseStepOutputs } from "../helpers/step-outputs.ts";
import { deployEnv, fakeApi } from "./fake-api.ts";

const COMMENTS = "/api/v3/repos/acme/api/issues/42/comments";

function outputFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), "announce-")), "output");
  writeFileSync(file, "");
  return file;
}

describe("renderPreviewComment", () => {
  it("carries the marker, the URL, the stage and the commit", () => {
    const body = renderPreviewComment({ stage: "feature-x", url: "https://x.workers.dev", commit: "abc123" });
    expect(body.startsWith(PREVIEW_COMMENT_MARKER)).toBe(true);
    expect(body).toContain("https://x.workers.dev");
    expect(body).toContain("`feature-x`");
    expect(body).toContain("abc123");
  });
});

describe("parsePullRequest", () => {
  it("reads a number, nothing from an empty value, and refuses anything else", () => {
    expect(parsePullRequest("42")).toBe(42);
    expect(parsePullRequest("")).toBeUndefined();
    expect(parsePullRequest(undefined)).toBeUndefined();
    expect(() => parsePullRequest("refs/pull/42/merge")).toThrow(/PULL_REQUEST/);
  });
});

describe("the deployed commit", () => {
  it("is the checked-out head, not a pull request's merge commit, in the comment and the Worker's VERSION", () => {
    const env = { GITHUB_SHA: "1".repeat(40), COMMIT_SHA: "2".repeat(40) };
    expect(deployedCommit(env)).toBe("2".repeat(40));
    expect(releaseVersion(env, "0.1.0")).toBe("2".repeat(12));
    expect(releaseVersion({ GITHUB_SHA: "1".repeat(40) }, "0.1.0")).toBe("1".repeat(12));
    expect(releaseVersion({}, "0.1.0")).toBe("0.1.0");
  });
});

describe("announceDeploy", () => {
  const base = { ...deployEnv, GITHUB_SHA: "merge-sha", COMMIT_SHA: "head-sha" };

  it("writes the stage, URL and environment as step outputs, and calls GitHub only for a pull request", async () => {
    const GITHUB_OUTPUT = outputFile();
    vi.stubEnv("GITHUB_OUTPUT", GITHUB_OUTPUT);
    const api = fakeApi({});
    await announceDeploy({ env: base, stage: "feature-x", url: "https://x.dev" }, api.fetch);
    vi.unstubAllEnvs();
    expect(parseStepOutputs(readFileSync(GITHUB_OUTPUT, "utf8"))).toEqual({
      stage: "feature-x",
      url: "https://x.dev",
      environment: "preview-feature-x",
    });
    expect(api.calls).toEqual([]);
  });

  it("creates the comment through GITHUB_API_URL when the pull request has none", async () => {
    const api = fakeApi({
      [`GET ${COMMENTS}`]: () => [{ id: 1, body: "LGTM" }],
      [`POST ${COMMENTS}`]: () => ({ id: 7 }),
    });
    await announceDeploy({ env: { ...base, PULL_REQUEST: "42" }, stage: "feature-x", url: "https://x.dev" }, api.fetch);
    const post = api.calls.find((c) => c.method === "POST");
    expect(post?.url.origin).toBe("http://github.test");
    expect(post?.body).toMatchObject({ body: expect.stringContaining(PREVIEW_COMMENT_MARKER) });
    expect(post?.body).toMatchObject({ body: expect.stringContaining("head-sha") });
  });

  it("edits the existing comment in place instead of adding a second one", async () => {
    const api = fakeApi({
      [`GET ${COMMENTS}`]: () => [
        { id: 1, body: "LGTM" },
        { id: 5, body: `${PREVIEW_COMMENT_MARKER}\nold` },
      ],
      "PATCH /api/v3/repos/acme/api/issues/comments/5": () => ({ id: 5 }),
    });
    await announceDeploy({ env: { ...base, PULL_REQUEST: "42" }, stage: "feature-x", url: "https://x.dev" }, api.fetch);
    expect(api.calls.map((c) => c.method)).toEqual(["GET", "PATCH"]);
    expect(api.calls[1]?.body).toMatchObject({ body: expect.stringContaining("https://x.dev") });
  });

  it("fails the deploy loudly when GitHub refuses", async () => {
    const api = fakeApi({});
    await expect(
      announceDeploy({ env: { ...base, PULL_REQUEST: "42" }, stage: "feature-x", url: "https://x.dev" }, api.fetch),
    ).rejects.toThrow(/GitHub GET .* failed with 404/);
  });
});
