// The console as a user drives it: by labels and roles (what a screen reader would announce), so
// these tests also check the controls are labelled.
import type { Locator, Page } from "playwright-core";
import { WAIT_MS } from "../../helpers/patience.ts";

export const PASSWORD = "correct horse battery staple";

/** Polls until `read` returns what `done` accepts (WAIT_MS: generous, the machine may be busy). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = WAIT_MS,
) {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
}

export class ConsolePage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async signUp(email: string) {
    await this.page.getByRole("button", { name: "No account? Sign up" }).click();
    await this.fillCredentials(email);
    await this.page.getByRole("button", { name: "Sign up", exact: true }).click();
    await this.page.getByText(`Signed in as ${email}`).waitFor();
  }

  async signIn(email: string) {
    await this.fillCredentials(email);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await this.page.getByText(`Signed in as ${email}`).waitFor();
  }

  async fillCredentials(email: string) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(PASSWORD);
  }

  async createSession(title: string) {
    await this.page.getByLabel("New session").fill(title);
    await this.page.getByRole("button", { name: "Create" }).click();
    await this.page.getByRole("heading", { name: title }).waitFor();
  }

  async openSession(title: string) {
    const link = this.page.getByRole("button", { name: new RegExp(`^${title}`) });
    // The list loads once per sign-in; a session shared after that shows up on reload.
    await eventually(
      async () => {
        if ((await link.count()) === 0) await this.page.reload();
        return link.count();
      },
      (count) => count > 0,
      `session "${title}" in the list`,
    );
    await link.click();
    await this.page.getByRole("heading", { name: title }).waitFor();
  }

  get connection(): Locator {
    return this.page.locator("output.connection");
  }

  async waitLive() {
    await eventually(
      () => this.connection.getAttribute("data-state"),
      (s) => s === "live",
      "a live connection",
    );
  }

  async share(email: string, role: "editor" | "viewer") {
    await this.page.getByLabel("Share with (email)").fill(email);
    await this.page.getByLabel("Role").selectOption(role);
    await this.page.getByRole("button", { name: "Share" }).click();
    await this.page.locator(".members li", { hasText: email }).waitFor();
  }

  async post(content: string) {
    await this.page.getByLabel("Message", { exact: true }).fill(content);
    await this.page.getByRole("button", { name: "Send" }).click();
    await this.page.locator(".log li", { hasText: content }).waitFor();
  }

  /** The log as shown: [seq, content] in display order. */
  async log(): Promise<[number, string][]> {
    return this.page
      .locator(".log li")
      .evaluateAll((items) =>
        items.map((li) => [Number(li.getAttribute("data-seq")), li.querySelector(".content")?.textContent ?? ""]),
      );
  }

  task(title: string): Locator {
    return this.page.locator(".tasks li", { hasText: title });
  }

  async addTask(title: string) {
    await this.page.getByLabel("New task").fill(title);
    await this.page.getByRole("button", { name: "Add" }).click();
    await this.task(title).waitFor();
  }

  /** The login token the console keeps (sessionStorage), for a request the UI would not make. */
  token(): Promise<string> {
    return this.page.evaluate(() => JSON.parse(sessionStorage.getItem("console.login") ?? "{}").token as string);
  }
}
