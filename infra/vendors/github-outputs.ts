// Step outputs and the job summary in GitHub Actions, written by GitHub's own toolkit (@actions/core); nothing
// elsewhere. Both go where the runner says (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY in this process's environment).
import * as core from "@actions/core";

type Env = Readonly<Record<string, string | undefined>>;

/** Outputs later steps and jobs read (`steps.<id>.outputs.<key>`). */
export function setOutputs(outputs: Record<string, string>): void {
  // Without GITHUB_OUTPUT, core would print a deprecated `::set-output` line on stdout, where the CLI's results go.
  if (!process.env.GITHUB_OUTPUT) return;
  for (const [key, value] of Object.entries(outputs)) core.setOutput(key, value);
}

/** Appends Markdown to the run's summary page. The page is a courtesy: failing to write it never fails the step. */
export async function appendSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary
    .addRaw(markdown, true)
    .write()
    .catch((error: Error) => {
      core.summary.emptyBuffer();
      console.error(`Could not write the job summary: ${error.message}`);
    });
}

/** An error line GitHub shows on the run page; plain stderr elsewhere. */
export function reportError(env: Env, message: string): void {
  if (env.GITHUB_ACTIONS === "true") {
    // On stderr, not through core.error (stdout): stdout carries the CLI's machine-readable results.
    // Workflow commands are one line: GitHub decodes %0A back into line breaks.
    console.error(`::error::${message.replaceAll("%", "%25").replaceAll("\r", "").replaceAll("\n", "%0A")}`);
  } else {
    console.error(message);
  }
}
