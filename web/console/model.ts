// The console's view of the API's model: types inferred from the schemas that validate and document
// the routes (type-only imports: nothing of the server is bundled), and the frames SessionSocket delivers.
import type { z } from "zod";
import type { SessionSchema, SessionSummarySchema } from "../../src/sessions/api/schemas.ts";
import type { Member, Message, Role, Task } from "../../src/sessions/model.ts";

/** The signup and login answers (src/auth/schemas.ts, AuthResponse), restated: that module's imports need Workers types. */
export interface User {
  id: string;
  email: string;
  name: string | null;
}
export interface Auth {
  user: User;
  token: string;
  expiresAt: string;
}
export type SessionSummary = z.infer<typeof SessionSummarySchema>;
export type Session = z.infer<typeof SessionSchema>;
export type { Member, Message, Role, Task };
export type GrantableRole = Exclude<Role, "owner">;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
