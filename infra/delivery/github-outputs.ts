// Step outputs and the job summary in GitHub Actions; silently nothing elsewhere.
import { appendFileSync } from "node:fs";

type Env = Readonly<Record<string, string | undefined>>;

/** Appends `key=value` lines to $GITHUB_OUTPUT, so later steps and jobs can read them. */
export function setOutputs(env: Env, outputs: Record<string, string>): void {
  if (!env.GITHUB_OUTPUT) return;
  const lines = Object.entries(outputs).map(([key, value]) => {
    if (/[\r\n]/.test(value)) throw new Error(`Step output ${key} must be a single line.`);
    return `${key}=${value}\n`;
  });
  appendFileSync(env.GITHUB_OUTPUT, lines.join(""));
}

/** Appends Markdown to the run's summary page. */
export function appendSummary(env: Env, markdown: string): void {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
}

/** An error line GitHub shows on the run page; plain stderr elsewhere. */
export function reportError(env: Env, message: string): void {
  if (env.GITHUB_ACTIONS === "true") {
    // Workflow commands are one line: GitHub decodes %0A back into line breaks.
    console.error(`::error::${message.replaceAll("%", "%25").replaceAll("\r", "").replaceAll("\n", "%0A")}`);
  } else {
    console.error(message);
  }
}
