// The sessions you own and those shared with you (your role on each), and a form to create one.
import { useEffect, useState } from "preact/hooks";
import { type Api, errorMessage } from "./api.ts";
import { ErrorText } from "./error-text.tsx";
import type { SessionSummary } from "./model.ts";

interface Props {
  api: Api;
  openId: string | undefined;
  onOpen: (id: string) => void;
  /** Bumped by the parent when a session changed elsewhere in the page (renamed, deleted). */
  version: number;
}

export function SessionList({ api, openId, onOpen, version }: Props) {
  const [items, setItems] = useState<SessionSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();

  const load = async () => {
    try {
      const page = await api.listSessions();
      setItems(page.items);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };
  useEffect(() => {
    load();
  }, [api, version]);

  const more = async () => {
    if (!cursor) return;
    try {
      const page = await api.listSessions(cursor);
      setItems((current) => [...current, ...page.items]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const create = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const title = String(new FormData(form).get("title") ?? "");
    setError(undefined);
    try {
      const { session } = await api.createSession(title);
      form.reset();
      await load();
      onOpen(session.id);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  return (
    <nav class="sessions" aria-label="Sessions">
      <form onSubmit={create} class="row">
        <label class="grow">
          New session
          <input name="title" placeholder="Title" required maxLength={200} />
        </label>
        <button type="submit">Create</button>
      </form>
      <ErrorText message={error} />
      <ul>
        {items.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              class="session-link"
              aria-current={s.id === openId ? "page" : undefined}
              onClick={() => onOpen(s.id)}
            >
              <span class="title">{s.title ?? "(untitled)"}</span>
              <span class={`badge ${s.role}`}>{s.role}</span>
            </button>
          </li>
        ))}
      </ul>
      {items.length === 0 && <p class="muted">No sessions yet.</p>}
      {cursor && (
        <button type="button" onClick={more}>
          More sessions
        </button>
      )}
    </nav>
  );
}
