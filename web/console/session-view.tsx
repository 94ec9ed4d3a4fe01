// One open session: title (rename, delete), the live connection state, messages, tasks and members.
// A viewer gets the same page without any control that writes.
import { useState } from "preact/hooks";
import { type Api, errorMessage } from "./api.ts";
import { ErrorText } from "./error-text.tsx";
import { Members } from "./members.tsx";
import { Messages } from "./messages.tsx";
import { Tasks } from "./tasks.tsx";
import { type Connection, useLiveSession } from "./use-live-session.ts";

interface Props {
  api: Api;
  token: string;
  sessionId: string;
  onChanged: () => void;
  onDeleted: () => void;
}

const CONNECTION_TEXT: Record<Connection["state"], string> = {
  loading: "Loading…",
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline: catching up when the network is back",
  ended: "Disconnected",
};

export function SessionView({ api, token, sessionId, onChanged, onDeleted }: Props) {
  const live = useLiveSession(api, token, sessionId);
  const [error, setError] = useState<string>();
  const canWrite = live.role === "owner" || live.role === "editor";
  const isOwner = live.role === "owner";

  const rename = async (event: Event) => {
    event.preventDefault();
    const title = String(new FormData(event.currentTarget as HTMLFormElement).get("title") ?? "");
    setError(undefined);
    try {
      await api.renameSession(sessionId, title);
      onChanged();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const remove = async () => {
    if (!window.confirm("Delete this session and everything in it?")) return;
    try {
      await api.deleteSession(sessionId);
      onDeleted();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const { connection } = live;
  return (
    <main class="session" aria-labelledby="session-title">
      <header class="session-head">
        <h2 id="session-title">{live.session?.title ?? "(untitled)"}</h2>
        <output class={`connection ${connection.state}`} aria-live="polite" data-state={connection.state}>
          {CONNECTION_TEXT[connection.state]}
          {connection.state === "ended" ? `: ${connection.reason}` : ""}
        </output>
        {live.role && <span class={`badge ${live.role}`}>you: {live.role}</span>}
      </header>
      {canWrite && live.session && (
        <form class="row" onSubmit={rename}>
          <label class="grow">
            Title
            <input name="title" required maxLength={200} value={live.session.title ?? ""} key={live.session.title} />
          </label>
          <button type="submit">Rename</button>
          {isOwner && (
            <button type="button" class="danger" onClick={remove}>
              Delete session
            </button>
          )}
        </form>
      )}
      <ErrorText message={error ?? live.error} />
      <div class="panes">
        <Messages api={api} sessionId={sessionId} live={live} canWrite={canWrite} />
        <aside class="side">
          <Tasks api={api} sessionId={sessionId} live={live} canWrite={canWrite} />
          <Members api={api} sessionId={sessionId} isOwner={isOwner} />
        </aside>
      </div>
    </main>
  );
}
