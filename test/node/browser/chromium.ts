// Headless Chromium for the console's browser tests: Debian's `chromium` package (or CHROMIUM_PATH,
// or an installed Google Chrome), driven by playwright-core, which downloads no browser of its own.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.CHROMIUM_PATH;
  if (given) {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH=${given} does not exist.`);
    return given;
  }
  try {
    // Debian's package first; Google Chrome is what GitHub's Ubuntu runners already carry.
    const candidates = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];
    const script = candidates.map((name) => `command -v ${name}`).join(" || ");
    return execFileSync("sh", ["-c", script], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(
      "No Chromium found for the browser tests: `sudo apt-get install chromium` (Debian/Ubuntu), or set CHROMIUM_PATH (docs/console.md).",
    );
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root in a container has no user namespaces for Chromium's sandbox.
    args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
  });
}
