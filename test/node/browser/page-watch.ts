// Everything a page reports that would mean the console misbehaves: uncaught exceptions, CSP
// violations (the event, and Chromium's console line) and console errors other than network failures.
import type { BrowserContext, Page } from "playwright-core";

export interface PageProblems {
  uncaught: string[];
  csp: string[];
  consoleErrors: string[];
}

/**
 * Network failures the browser itself logs as console errors: the offline test causes them on
 * purpose, and a refused request (the viewer's forced 403) is logged the same way.
 */
const NETWORK_NOISE = [
  /^Failed to load resource\b/,
  /^WebSocket connection to .* failed/,
  /net::ERR_INTERNET_DISCONNECTED/,
];

/** Runs before any page script: records CSP violations where the test can read them. */
const CSP_LISTENER = `
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
  });
`;

export async function watchContext(context: BrowserContext): Promise<(page: Page) => PageProblems> {
  await context.addInitScript(CSP_LISTENER);
  const byPage = new Map<Page, PageProblems>();
  const watch = (page: Page) => {
    const problems: PageProblems = { uncaught: [], csp: [], consoleErrors: [] };
    byPage.set(page, problems);
    page.on("pageerror", (error) => problems.uncaught.push(String(error)));
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const text = message.text();
      if (/Content Security Policy/i.test(text)) problems.csp.push(text);
      else if (!NETWORK_NOISE.some((pattern) => pattern.test(text))) problems.consoleErrors.push(text);
    });
  };
  for (const page of context.pages()) watch(page);
  context.on("page", watch);
  return (page) => byPage.get(page) ?? { uncaught: [], csp: [], consoleErrors: [] };
}

/** The page's problems, with the CSP violations its own listener saw. */
export async function problemsOf(page: Page, problems: PageProblems): Promise<PageProblems> {
  const seen = await page.evaluate(
    () => (globalThis as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
  );
  return { ...problems, csp: [...problems.csp, ...seen] };
}
