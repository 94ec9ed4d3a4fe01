// The preview job's deploy step end to end: the real `npm run deploy` against the Cloudflare API double
// (test/node/rehearsal) with the variables the workflow sets, and a stand-in GitHub API that keeps the comments.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_NAME } from "../../../infra/core/runtime.ts";
import { PREVIEW_COMMENT_MARKER } from "../../../infra/delivery/preview-comment.ts";
import { parseStepOutputs } from "../helpers/step-outputs.ts";
import { type CloudflareDouble, startCloudflareDouble } from "../rehearsal/cloudflare-double/index.ts";
import { copyProject, type ProjectCopy } from "../rehearsal/project-copy.ts";
import { REHEARSAL_ACCOUNT_ID, REHEARSAL_API_TOKEN, rehearsalEnv } from "../rehearsal/rehearsal-env.ts";
import { describeRun, runNpm } from "../rehearsal/run-npm.ts";

interface Comment {
  id: number;
  body: string;
}

/** Issue comments of one repository, and every request made. */
function startGitHub(): Promise<{ server: Server; url: string; comments: Comment[]; requests: string[] }> {
  const comments: Comment[] = [];
  const requests: string[] = [];
  const read = async (request: IncomingMessage) => {
    let text = "";
    for await (const chunk of request) text += chunk;
    return JSON.parse(text) as { body: string };
  };
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    requests.push(`${request.method} ${url.pathname}`);
    response.setHeader("content-type", "application/json");
    const page = Number(url.searchParams.get("page") ?? "1");
    if (request.method === "GET" && url.pathname === "/api/v3/repos/acme/api/issues/42/comments") {
      response.end(JSON.stringify(page === 1 ? comments : []));
    } else if (request.method === "POST" && url.pathname === "/api/v3/repos/acme/api/issues/42/comments") {
      const comment = { id: 1000 + comments.length, body: (await read(request)).body };
      comments.push(comment);
      response.statusCode = 201;
      response.end(JSON.stringify(comment));
    } else if (request.method === "PATCH" && url.pathname.startsWith("/api/v3/repos/acme/api/issues/comments/")) {
      const comment = comments.find((c) => String(c.id) === url.pathname.split("/").pop());
      if (comment) comment.body = (await read(request)).body;
      response.statusCode = comment ? 200 : 404;
      response.end(JSON.stringify(comment ?? { message: "Not Found" }));
    } else {
      response.statusCode = 404;
      response.end(JSON.stringify({ message: "Not Found" }));
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/api/v3`, comments, requests });
    }),
  );
}

describe("preview deploy, as the workflow's deploy step runs it", () => {
  let double: CloudflareDouble;
  let project: ProjectCopy;
  let github: Awaited<ReturnType<typeof startGitHub>>;
  const stage = `pv-${randomBytes(3).toString("hex")}`;

  beforeAll(async () => {
    [double, project, github] = await Promise.all([
      startCloudflareDouble({ accountId: REHEARSAL_ACCOUNT_ID, apiToken: REHEARSAL_API_TOKEN }),
      copyProject(),
      startGitHub(),
    ]);
  });

  afterAll(async () => {
    await double?.stop();
    await project?.remove();
    await new Promise((resolve) => github?.server.close(resolve));
  });

  async function deploy(commit: string): Promise<Record<string, string>> {
    const outputFile = join(mkdtempSync(join(tmpdir(), "github-output-")), "output");
    writeFileSync(outputFile, "");
    const env = {
      ...rehearsalEnv(double, project.dir),
      PULL_REQUEST: "42",
      COMMIT_SHA: commit,
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: "github-token-not-a-secret",
      GITHUB_REPOSITORY: "acme/api",
      GITHUB_OUTPUT: outputFile,
    };
    const run = await runNpm(project.dir, "deploy", ["--stage", stage], env);
    expect(run.code, describeRun(run)).toBe(0);
    return parseStepOutputs(readFileSync(outputFile, "utf8"));
  }

  it("records the URL for the deployment and keeps one pull request comment, edited in place", async () => {
    const outputs = await deploy("a".repeat(40));
    expect(outputs).toMatchObject({ stage, environment: `preview-${stage}` });
    expect(outputs.url).toMatch(new RegExp(`^https://${APP_NAME}-worker-${stage}\\.[a-z0-9-]+\\.workers\\.dev/?$`));
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toContain(PREVIEW_COMMENT_MARKER);
    expect(github.comments[0]?.body).toContain(`\`${stage}\``);
    expect(github.comments[0]?.body).toContain("a".repeat(40));

    await deploy("b".repeat(40));
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toContain("b".repeat(40));
    expect(github.requests.filter((r) => r.startsWith("PATCH"))).toHaveLength(1);

    const env = rehearsalEnv(double, project.dir);
    expect((await runNpm(project.dir, "destroy", ["--stage", stage], env)).code).toBe(0);
    const verify = await runNpm(project.dir, "verify:destroyed", ["--stage", stage], env);
    expect(verify.code, describeRun(verify)).toBe(0);
  }, 300_000);
});
