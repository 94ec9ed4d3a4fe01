// Validation issues as the API reports them: one `{ path, message, code }` per failed field, the
// same at the edge (Hono's validator) and inside the session object.

export function fieldErrors(issues: readonly { path: PropertyKey[]; message: string; code: string }[]) {
  return issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
    code: issue.code,
  }));
}
