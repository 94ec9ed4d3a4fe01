// Counts every statement the app sends to D1 through its binding: instrumented, not estimated. The
// counters live in the isolate, which the Worker and its Durable Objects share in local workerd.

export interface D1Counts {
  /** Statements that change data (INSERT, UPDATE, DELETE, REPLACE, DDL). */
  writes: number;
  reads: number;
  /** Calls that reach D1: one per `run`/`all`/`first`/`raw`, one per `batch`, one per `exec`. */
  roundTrips: number;
  /** Executions per statement (first 80 characters of its SQL), to show what ran. */
  statements: Record<string, number>;
}

const counts: D1Counts = { writes: 0, reads: 0, roundTrips: 0, statements: {} };

export function d1Counts(): D1Counts {
  return structuredClone(counts);
}

export function resetD1Counts(): void {
  Object.assign(counts, { writes: 0, reads: 0, roundTrips: 0, statements: {} });
}

const WRITE = /^\s*(insert|update|delete|replace|create|drop|alter)\b/i;

function countStatement(sql: string): void {
  if (WRITE.test(sql)) counts.writes += 1;
  else counts.reads += 1;
  const key = sql.replace(/\s+/g, " ").trim().slice(0, 80);
  counts.statements[key] = (counts.statements[key] ?? 0) + 1;
}

// Wrapped statement → the real one (D1's batch only takes its own) and the SQL it runs.
const unwrapped = new WeakMap<object, D1PreparedStatement>();
const sqlOf = new WeakMap<object, string>();

function countingStatement(real: D1PreparedStatement, sql: string): D1PreparedStatement {
  const run =
    <K extends "first" | "run" | "all" | "raw">(method: K) =>
    (...args: unknown[]) => {
      counts.roundTrips += 1;
      countStatement(sql);
      return (real[method] as (...a: unknown[]) => unknown)(...args);
    };
  const wrapper = {
    bind: (...values: unknown[]) => countingStatement(real.bind(...values), sql),
    first: run("first"),
    run: run("run"),
    all: run("all"),
    raw: run("raw"),
  } as unknown as D1PreparedStatement;
  unwrapped.set(wrapper, real);
  sqlOf.set(wrapper, sql);
  return wrapper;
}

type Queryable = Pick<D1Database, "prepare" | "batch">;

function countingQueries<T extends Queryable>(real: T): Pick<T, "prepare" | "batch"> {
  return {
    prepare: (sql: string) => countingStatement(real.prepare(sql), sql),
    batch: <R>(statements: D1PreparedStatement[]) => {
      counts.roundTrips += 1;
      for (const statement of statements) countStatement(sqlOf.get(statement) ?? "");
      return real.batch<R>(statements.map((statement) => unwrapped.get(statement) ?? statement));
    },
  };
}

export function countingD1(real: D1Database): D1Database {
  return {
    ...countingQueries(real),
    exec: (sql: string) => {
      counts.roundTrips += 1;
      for (const statement of sql.split(";").filter((s) => s.trim())) countStatement(statement);
      return real.exec(sql);
    },
    withSession: (constraint?: string) => {
      const session = real.withSession(constraint as D1SessionConstraint);
      return { ...countingQueries(session), getBookmark: () => session.getBookmark() } as D1DatabaseSession;
    },
    dump: () => real.dump(),
  } as D1Database;
}
