// The console in real Chromium against the real `npm run dev`: owner, editor and viewer in separate
// browser contexts; live messages and tasks, a read-only viewer, an editor that drops off the network
// and comes back, history by scrolling, sign-out. No uncaught error and no CSP violation anywhere.
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, apiRequest } from "../helpers/dev-api.ts";
import { type DevServer, startDevServer } from "../helpers/dev-server.ts";
import { launchChromium } from "./chromium.ts";
import { ConsolePage, eventually, PASSWORD } from "./console-page.ts";
import { type PageProblems, problemsOf, watchContext } from "./page-watch.ts";

/** Screenshots of the main screens (gitignored; CI can keep them as artifacts). */
const ARTIFACTS = "browser-artifacts";

describe("the console in Chromium", () => {
  let server: DevServer;
  let browser: Browser;
  const opened: { page: Page; problems: (page: Page) => PageProblems }[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    [server, browser] = await Promise.all([startDevServer({ stage: "e2e-console" }), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(): Promise<ConsolePage> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const problems = await watchContext(context);
    const page = await context.newPage();
    opened.push({ page, problems });
    await page.goto(server.url);
    return new ConsolePage(page);
  }

  const email = (who: string) => `${who}-${randomUUID().slice(0, 8)}@example.com`;
  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

  it("shares a live session: owner and editor see the same messages and tasks; a viewer only reads", async () => {
    const [ownerEmail, editorEmail, viewerEmail] = [email("owner"), email("editor"), email("viewer")];
    const owner = await open();
    await shot(owner.page, "sign-in");
    await owner.signUp(ownerEmail);
    for (const other of [editorEmail, viewerEmail]) {
      await apiCall(server.url, "/v1/auth/signup", { body: { email: other, password: PASSWORD } });
    }
    const title = `Plan ${randomUUID().slice(0, 6)}`;
    await owner.createSession(title);
    await owner.share(editorEmail, "editor");
    await owner.share(viewerEmail, "viewer");

    const editor = await open();
    await editor.signIn(editorEmail);
    await editor.openSession(title);
    const viewer = await open();
    await viewer.signIn(viewerEmail);
    await viewer.openSession(title);
    for (const page of [owner, editor, viewer]) await page.waitLive();

    await owner.post("first, from the owner");
    await editor.post("second, from the editor");
    await owner.post("third, from the owner");
    const expected: [number, string][] = [
      [1, "first, from the owner"],
      [2, "second, from the editor"],
      [3, "third, from the owner"],
    ];
    for (const page of [owner, editor, viewer]) {
      await eventually(
        () => page.log(),
        (log) => JSON.stringify(log) === JSON.stringify(expected),
        "three messages",
      );
    }

    await owner.addTask("Write the agenda");
    await editor.task("Write the agenda").waitFor();
    await editor.task("Write the agenda").getByRole("checkbox").check();
    await eventually(
      () => owner.task("Write the agenda").getAttribute("data-status"),
      (status) => status === "completed",
      "the owner to see the task completed",
    );
    await shot(owner.page, "session-owner");

    // The viewer: the same log, no control that writes, and the API refuses a forced post.
    expect(await viewer.page.getByRole("button", { name: "Send" }).count()).toBe(0);
    expect(await viewer.page.getByLabel("Message", { exact: true }).count()).toBe(0);
    expect(await viewer.page.getByLabel("New task").count()).toBe(0);
    await expect(viewer.task("Write the agenda").getByRole("checkbox").isDisabled()).resolves.toBe(true);
    const sessionId = (
      await apiCall<{ items: { id: string; title: string }[] }>(server.url, "/v1/sessions", {
        token: await viewer.token(),
      })
    ).items.find((s) => s.title === title)?.id;
    const forced = await viewer.page.evaluate(
      async ({ id, token }) => {
        const res = await fetch(`/v1/sessions/${id}/messages`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ content: "a viewer should not post" }),
        });
        return { status: res.status, body: (await res.json()) as { error: { code: string } } };
      },
      { id: sessionId, token: await viewer.token() },
    );
    expect(forced.status).toBe(403);
    expect(forced.body.error.code).toBe("forbidden");
    await shot(viewer.page, "session-viewer");

    // The editor drops off the network; the owner keeps posting; on return each message shows once, in order.
    await editor.page.context().setOffline(true);
    await eventually(
      () => editor.connection.getAttribute("data-state"),
      (s) => s !== "live",
      "the editor to go offline",
    );
    await shot(editor.page, "editor-offline");
    for (const n of [4, 5, 6]) await owner.post(`message ${n}, while the editor was offline`);
    // Really cut off: nothing reached the editor meanwhile.
    expect(await editor.log()).toEqual(expected);
    await expect(editor.connection.getAttribute("data-state")).resolves.toBe("offline");
    await editor.page.context().setOffline(false);
    await editor.waitLive();
    const all = [
      ...expected,
      ...[4, 5, 6].map((n): [number, string] => [n, `message ${n}, while the editor was offline`]),
    ];
    await eventually(
      () => editor.log(),
      (log) => JSON.stringify(log) === JSON.stringify(all),
      "six messages, once each",
    );
    await shot(editor.page, "editor-reconnected");
  });

  it("shows the API's own message when it refuses, and loads older history by scrolling", async () => {
    const page = await open();
    const me = email("historian");
    await page.signUp(me);
    await page.createSession("History");
    const token = await page.token();

    // Sharing with nobody: the alert shows what the API said, word for word.
    const sessions = await apiCall<{ items: { id: string }[] }>(server.url, "/v1/sessions", { token });
    const id = sessions.items[0]?.id as string;
    const refusal = await apiRequest<{ error: { message: string } }>(server.url, `/v1/sessions/${id}/members`, {
      token,
      body: { email: email("nobody"), role: "viewer" },
    });
    expect(refusal.status).toBeGreaterThanOrEqual(400);
    await page.page.getByLabel("Share with (email)").fill(email("nobody"));
    await page.page.getByRole("button", { name: "Share" }).click();
    await expect(page.page.locator(".members [role=alert]").textContent()).resolves.toBe(refusal.body.error.message);

    // 70 messages: the console shows the latest 50, and the rest once the log is scrolled to the top.
    for (let n = 1; n <= 70; n += 1) {
      await apiCall(server.url, `/v1/sessions/${id}/messages`, { token, body: { content: `history ${n}` } });
    }
    await page.page.reload();
    await page.openSession("History");
    await eventually(
      () => page.log(),
      (log) => log.length === 50 && log[0]?.[0] === 21,
      "the latest 50 messages",
    );
    await page.page.locator(".log").evaluate((log) => {
      log.scrollTop = 0;
    });
    const log = await eventually(
      () => page.log(),
      (shown) => shown.length === 70,
      "all 70 messages",
    );
    expect(log.map(([seq]) => seq)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
  });

  it("signs out: the token is revoked and forgotten", async () => {
    const page = await open();
    const me = email("leaver");
    await page.signUp(me);
    const token = await page.token();
    await page.page.getByRole("button", { name: "Sign out" }).click();
    await page.page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.page.evaluate(() => sessionStorage.length)).toBe(0);
    expect((await apiRequest(server.url, "/v1/me", { token })).status).toBe(401);
  });

  it("renders /docs: Swagger UI from the static assets, under the docs page's CSP", async () => {
    const docs = await open();
    await docs.page.goto(`${server.url}/docs`);
    await docs.page.locator(".swagger-ui .opblock").first().waitFor({ timeout: 60_000 });
    expect(await docs.page.locator(".swagger-ui .opblock").count()).toBeGreaterThan(10);
  });

  it("no page had an uncaught error, a CSP violation or an unexpected console error", async () => {
    expect(opened.length).toBeGreaterThan(0);
    for (const { page, problems } of opened) {
      const found = await problemsOf(page, problems(page));
      expect(found, page.url()).toEqual({ uncaught: [], csp: [], consoleErrors: [] });
    }
  });
});
