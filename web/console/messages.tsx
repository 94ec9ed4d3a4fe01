// The message log: live frames in seq order, older pages loaded by scrolling to the top (or the
// button, for keyboards), and the post form for owners and editors.
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { type Api, errorMessage } from "./api.ts";
import { ErrorText } from "./error-text.tsx";
import type { LiveSession } from "./use-live-session.ts";

interface Props {
  api: Api;
  sessionId: string;
  live: LiveSession;
  canWrite: boolean;
}

/** Within this many pixels of the top, the next older page is fetched. */
const LOAD_OLDER_AT_PX = 48;

export function Messages({ api, sessionId, live, canWrite }: Props) {
  const log = useRef<HTMLOListElement>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Keep the view where the reader is: at the bottom for new messages, in place when history is prepended.
  const anchor = useRef<{ atBottom: boolean; fromBottom: number }>({ atBottom: true, fromBottom: 0 });

  useLayoutEffect(() => {
    const el = log.current;
    if (!el) return;
    el.scrollTop = anchor.current.atBottom ? el.scrollHeight : el.scrollHeight - anchor.current.fromBottom;
  }, [live.messages]);

  const onScroll = () => {
    const el = log.current;
    if (!el) return;
    const fromBottom = el.scrollHeight - el.scrollTop;
    anchor.current = { atBottom: fromBottom - el.clientHeight < 8, fromBottom };
    if (el.scrollTop < LOAD_OLDER_AT_PX && live.hasOlder && !live.loadingOlder) live.loadOlder();
  };

  const post = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const content = String(new FormData(form).get("content") ?? "");
    setBusy(true);
    setError(undefined);
    try {
      const { message } = await api.postMessage(sessionId, content);
      form.reset();
      anchor.current.atBottom = true;
      live.applyMessage(message);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="messages" aria-labelledby="messages-title">
      <h3 id="messages-title">Messages</h3>
      {live.hasOlder && (
        <button type="button" class="link" onClick={() => live.loadOlder()} disabled={live.loadingOlder}>
          {live.loadingOlder ? "Loading older messages…" : "Load older messages"}
        </button>
      )}
      <ol class="log" ref={log} onScroll={onScroll} aria-label="Message history">
        {live.messages.map((m) => (
          <li key={m.seq} data-seq={m.seq}>
            <span class="seq">#{m.seq}</span> <span class="content">{m.content}</span>
            <time dateTime={m.createdAt}>{new Date(m.createdAt).toLocaleTimeString()}</time>
          </li>
        ))}
      </ol>
      {canWrite ? (
        <form class="row" onSubmit={post}>
          <label class="grow">
            Message
            <input name="content" required autocomplete="off" />
          </label>
          <button type="submit" disabled={busy}>
            Send
          </button>
        </form>
      ) : (
        <p class="muted">You can read this session; only its owner and editors can post.</p>
      )}
      <ErrorText message={error} />
    </section>
  );
}
