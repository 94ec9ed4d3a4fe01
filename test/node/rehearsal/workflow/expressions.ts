// GitHub Actions expressions (`${{ … }}` and `if:`), the subset the workflows use: contexts, literals, ! == != && || ( ).
// Anything else (functions, indexes) throws, so a workflow that outgrows the rehearsal says so.

export type Context = Record<string, unknown>;

type Token = { kind: "op" | "str" | "num" | "path"; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:(==|!=|&&|\|\||!|\(|\))|'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*))/y;
  let index = 0;
  while (index < source.length) {
    if (/^\s*$/.test(source.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(source);
    if (!match) throw new Error(`Unsupported expression syntax at "${source.slice(index)}" in: ${source}`);
    if (match[1]) tokens.push({ kind: "op", value: match[1] });
    else if (match[2] !== undefined) tokens.push({ kind: "str", value: match[2].replaceAll("''", "'") });
    else if (match[3]) tokens.push({ kind: "num", value: match[3] });
    else tokens.push({ kind: "path", value: match[4] as string });
    index = pattern.lastIndex;
  }
  return tokens;
}

/** GitHub's loose equality: case-insensitive for strings, null and undefined alike. */
function equal(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return (a ?? null) === (b ?? null);
}

export function evaluate(source: string, context: Context): unknown {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i]?.value;
  const take = (value?: string) => {
    const token = tokens[i++];
    if (!token || (value !== undefined && token.value !== value)) throw new Error(`Expected ${value} in: ${source}`);
    return token;
  };
  const primary = (): unknown => {
    const token = take();
    if (token.kind === "str") return token.value;
    if (token.kind === "num") return Number(token.value);
    if (token.value === "(") {
      const value = or();
      take(")");
      return value;
    }
    if (token.value === "!") return !primary();
    if (token.kind !== "path") throw new Error(`Unexpected "${token.value}" in: ${source}`);
    if (peek() === "(") throw new Error(`Functions are not supported by the rehearsal: ${token.value}() in ${source}`);
    if (token.value === "true" || token.value === "false") return token.value === "true";
    if (token.value === "null") return null;
    return token.value.split(".").reduce<unknown>((value, key) => (value as Context | undefined)?.[key], context);
  };
  const comparison = (): unknown => {
    let left = primary();
    while (peek() === "==" || peek() === "!=") {
      const op = take().value;
      const right = primary();
      left = op === "==" ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const and = (): unknown => {
    let left = comparison();
    while (peek() === "&&") {
      take();
      const right = comparison();
      left = left ? right : left;
    }
    return left;
  };
  const or = (): unknown => {
    let left = and();
    while (peek() === "||") {
      take();
      const right = and();
      left = left ? left : right;
    }
    return left;
  };
  const value = or();
  if (i !== tokens.length) throw new Error(`Unexpected "${peek()}" in: ${source}`);
  return value;
}

/** `${{ … }}` placeholders in a string, replaced the way GitHub renders them (null/undefined → ""). */
export function interpolate(text: string, context: Context): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => {
    const value = evaluate(expression, context);
    return value === undefined || value === null ? "" : String(value);
  });
}

/** An `if:` condition: a bare expression or one wrapped in `${{ }}`; absent means run. */
export function condition(source: string | boolean | undefined, context: Context): boolean {
  if (source === undefined) return true;
  if (typeof source === "boolean") return source;
  const bare = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(source)?.[1] ?? source;
  return Boolean(evaluate(bare, context));
}
