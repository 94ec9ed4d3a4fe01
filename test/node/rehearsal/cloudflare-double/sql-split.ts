// Splits a D1 query body into statements, the way D1's HTTP query endpoint runs a multi-statement body.

/**
 * Statement boundaries are semicolons outside quotes, comments and trigger bodies (`BEGIN … END`).
 * Comments stay attached to the statement that follows them; empty statements are dropped.
 */
export function splitSqlStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = "";
  let i = 0;
  let blockDepth = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? sql.length : end + 1;
      current += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      current += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`" || ch === "[") {
      const close = ch === "[" ? "]" : ch;
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === close && sql[j + 1] === close && close !== "]") j += 2;
        else if (sql[j] === close) break;
        else j += 1;
      }
      current += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch) && !/[A-Za-z0-9_$]/.test(sql[i - 1] ?? "")) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))?.[0] ?? ch;
      const upper = word.toUpperCase();
      if (upper === "BEGIN" && /\bCREATE\b[\s\S]*\bTRIGGER\b/i.test(current)) blockDepth += 1;
      if (upper === "CASE" && blockDepth > 0) blockDepth += 1;
      if (upper === "END" && blockDepth > 0) blockDepth -= 1;
      current += word;
      i += word.length;
      continue;
    }
    if (ch === ";" && blockDepth === 0) {
      pushStatement(statements, current);
      current = "";
      i += 1;
      continue;
    }
    current += ch;
    i += 1;
  }
  pushStatement(statements, current);
  return statements;
}

function pushStatement(statements: string[], text: string): void {
  const withoutComments = text.replace(/--[^\n]*(\n|$)/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
  if (withoutComments.trim()) statements.push(text.trim());
}
