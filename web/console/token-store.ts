// Where the console keeps its login token: sessionStorage (this tab only, gone when it closes, never
// sent automatically), the browser choice docs/console.md explains.
import type { User } from "./model.ts";

const KEY = "console.login";

export interface Login {
  token: string;
  user: User;
}

export function loadLogin(): Login | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<Login>;
    return typeof parsed.token === "string" && parsed.user ? (parsed as Login) : undefined;
  } catch {
    return undefined;
  }
}

export function saveLogin(login: Login): void {
  sessionStorage.setItem(KEY, JSON.stringify(login));
}

export function clearLogin(): void {
  sessionStorage.removeItem(KEY);
}
