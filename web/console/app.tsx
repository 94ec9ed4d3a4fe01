// The console's shell: signed out, the sign-in form; signed in, the session list and the open session.
import { useMemo, useState } from "preact/hooks";
import { apiFor } from "./api.ts";
import { AuthForm } from "./auth-form.tsx";
import { SessionList } from "./session-list.tsx";
import { SessionView } from "./session-view.tsx";
import { clearLogin, type Login, loadLogin, saveLogin } from "./token-store.ts";

export function App() {
  const [login, setLogin] = useState<Login | undefined>(loadLogin);
  const [openId, setOpenId] = useState<string>();
  const [listVersion, setListVersion] = useState(0);
  const api = useMemo(() => (login ? apiFor(login.token) : undefined), [login]);

  if (!login || !api) {
    return (
      <main class="auth-page">
        <h1>Session console</h1>
        <AuthForm
          onLogin={(next) => {
            saveLogin(next);
            setLogin(next);
          }}
        />
      </main>
    );
  }

  const signOut = async () => {
    // The token is revoked server-side; forgetting it locally happens whatever the answer.
    await api.logout().catch(() => undefined);
    clearLogin();
    setOpenId(undefined);
    setLogin(undefined);
  };

  return (
    <div class="layout">
      <header class="topbar">
        <h1>Session console</h1>
        <span class="who">
          Signed in as <strong>{login.user.email}</strong>
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <SessionList api={api} openId={openId} onOpen={setOpenId} version={listVersion} />
      {openId ? (
        <SessionView
          key={openId}
          api={api}
          token={login.token}
          sessionId={openId}
          onChanged={() => setListVersion((v) => v + 1)}
          onDeleted={() => {
            setOpenId(undefined);
            setListVersion((v) => v + 1);
          }}
        />
      ) : (
        <main class="empty">
          <p>Open a session from the list, or create one.</p>
        </main>
      )}
    </div>
  );
}
