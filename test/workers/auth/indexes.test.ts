// The auth queries are index lookups, never table scans: checked with SQLite's query planner on the real schema.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

async function plan(sql: string, ...params: unknown[]): Promise<string> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((row) => row.detail).join("\n");
}

describe("D1 indexes", () => {
  it.each([
    [
      "a token lookup",
      "SELECT * FROM credentials c JOIN users u ON u.id = c.user_id WHERE c.secret_hash = ?1",
      "credentials_secret_hash_unique",
    ],
    ["an email lookup", "SELECT id FROM users WHERE email = ?1 COLLATE NOCASE", "users_email_unique"],
    [
      "an identity-provider subject",
      "SELECT id FROM users WHERE external_subject = ?1",
      "users_external_subject_unique",
    ],
    [
      "the first page of a user's API keys",
      "SELECT id FROM credentials WHERE user_id = ?1 AND kind = 'api_key' AND revoked_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 50",
      "credentials_by_user_kind (user_id=? AND kind=?)",
    ],
    [
      "a later page of a user's API keys",
      "SELECT id FROM credentials WHERE user_id = ?1 AND kind = 'api_key' AND revoked_at IS NULL AND (created_at, id) < (1, 'k') ORDER BY created_at DESC, id DESC LIMIT 50",
      "credentials_by_user_kind (user_id=? AND kind=? AND (created_at,id)<(?,?))",
    ],
  ])("serves %s from an index", async (_, sql, index) => {
    const detail = await plan(sql, "x");
    expect(detail).toContain(index);
    expect(detail).not.toMatch(/SCAN (c|u|users|credentials)\b(?! USING)/);
    expect(detail).not.toContain("TEMP B-TREE");
  });
});
