// What `npm run setup` reports: one verdict per check, rendered as one line (plus a fix hint when something is wrong).
export type Verdict = "ok" | "warn" | "fail";

export interface SetupCheck {
  verdict: Verdict;
  title: string;
  detail: string;
  /** What to do about it; shown under a warning or a failure. */
  fix?: string;
}

const MARK: Record<Verdict, string> = { ok: "✓", warn: "!", fail: "✗" };

export function renderCheck(check: SetupCheck): string[] {
  const line = `${MARK[check.verdict]} ${check.title}: ${check.detail}`;
  return check.fix && check.verdict !== "ok" ? [line, `    fix: ${check.fix}`] : [line];
}

export function ok(title: string, detail: string): SetupCheck {
  return { verdict: "ok", title, detail };
}

export function warn(title: string, detail: string, fix: string): SetupCheck {
  return { verdict: "warn", title, detail, fix };
}

export function fail(title: string, detail: string, fix: string): SetupCheck {
  return { verdict: "fail", title, detail, fix };
}
