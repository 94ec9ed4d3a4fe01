// Sign in or sign up: one form, two actions; the API's refusal (bad password, taken email, rate
// limit) is shown as its message.
import { useState } from "preact/hooks";
import { errorMessage, signIn, signUp } from "./api.ts";
import { ErrorText } from "./error-text.tsx";
import type { Login } from "./token-store.ts";

export function AuthForm({ onLogin }: { onLogin: (login: Login) => void }) {
  const [mode, setMode] = useState<"signin" | "signup">("signin");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(undefined);
    try {
      const auth =
        mode === "signup"
          ? await signUp(email, password, String(form.get("name") ?? ""))
          : await signIn(email, password);
      onLogin({ token: auth.token, user: auth.user });
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card auth" onSubmit={submit} aria-labelledby="auth-title">
      <h2 id="auth-title">{mode === "signin" ? "Sign in" : "Create an account"}</h2>
      <label>
        Email
        <input name="email" type="email" autocomplete="username" required />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autocomplete={mode === "signin" ? "current-password" : "new-password"}
          required
        />
      </label>
      {mode === "signup" && (
        <label>
          Name (optional)
          <input name="name" type="text" autocomplete="name" />
        </label>
      )}
      <ErrorText message={error} />
      <button type="submit" disabled={busy}>
        {mode === "signin" ? "Sign in" : "Sign up"}
      </button>
      <button type="button" class="link" onClick={() => setMode(mode === "signin" ? "signup" : "signin")}>
        {mode === "signin" ? "No account? Sign up" : "Have an account? Sign in"}
      </button>
    </form>
  );
}
