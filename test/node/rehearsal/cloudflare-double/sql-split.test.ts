// The D1 query splitter against hand-written edge cases and every real migration.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_DIR } from "../../../../infra/core/runtime.ts";
import { splitSqlStatements } from "./sql-split.ts";

describe("splitSqlStatements", () => {
  it("splits on semicolons outside strings, identifiers and comments", () => {
    const sql = `-- a; comment\nCREATE TABLE "a;b" (x TEXT DEFAULT 'it''s; fine');\n/* c; */ INSERT INTO t VALUES (';');\n;`;
    expect(splitSqlStatements(sql)).toEqual([
      `-- a; comment\nCREATE TABLE "a;b" (x TEXT DEFAULT 'it''s; fine')`,
      `/* c; */ INSERT INTO t VALUES (';')`,
    ]);
  });

  it("keeps a trigger body, CASE included, in one statement", () => {
    const sql =
      "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = CASE WHEN 1 THEN 2 END; DELETE FROM c; END; SELECT 1";
    expect(splitSqlStatements(sql)).toHaveLength(2);
  });

  it("drops statements that are only comments or whitespace", () => {
    expect(splitSqlStatements("  ;\n-- trailing note\n")).toEqual([]);
  });

  it("splits every real migration into statements that each end where SQL would", () => {
    for (const file of readdirSync(MIGRATIONS_DIR).filter((name) => name.endsWith(".sql"))) {
      const statements = splitSqlStatements(readFileSync(join(MIGRATIONS_DIR, file), "utf8"));
      expect(statements.length, file).toBeGreaterThan(0);
      for (const statement of statements) expect(statement.endsWith(";"), file).toBe(false);
    }
  });
});
