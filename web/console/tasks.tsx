// The session's tasks: live from the socket; owners and editors create, complete (or reopen) and delete.
import { useState } from "preact/hooks";
import { type Api, errorMessage } from "./api.ts";
import { ErrorText } from "./error-text.tsx";
import type { Task } from "./model.ts";
import type { LiveSession } from "./use-live-session.ts";

interface Props {
  api: Api;
  sessionId: string;
  live: LiveSession;
  canWrite: boolean;
}

export function Tasks({ api, sessionId, live, canWrite }: Props) {
  const [error, setError] = useState<string>();

  const attempt = async (action: () => Promise<void>) => {
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const create = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const title = String(new FormData(form).get("title") ?? "");
    return attempt(async () => {
      live.applyTask((await api.createTask(sessionId, title)).task);
      form.reset();
    });
  };
  const toggle = (task: Task) =>
    attempt(async () => {
      const status = task.status === "completed" ? "pending" : "completed";
      live.applyTask((await api.setTaskStatus(sessionId, task.id, status)).task);
    });
  const remove = (task: Task) =>
    attempt(async () => {
      await api.deleteTask(sessionId, task.id);
      live.removeTask(task.id);
    });

  return (
    <section class="tasks" aria-labelledby="tasks-title">
      <h3 id="tasks-title">Tasks</h3>
      <ul>
        {live.tasks.map((task) => (
          <li key={task.id} data-status={task.status}>
            <label>
              <input
                type="checkbox"
                checked={task.status === "completed"}
                disabled={!canWrite}
                onChange={() => toggle(task)}
              />
              <span class="title">{task.title}</span>
            </label>
            {canWrite && (
              <button type="button" class="link" onClick={() => remove(task)} aria-label={`Delete task ${task.title}`}>
                Delete
              </button>
            )}
          </li>
        ))}
      </ul>
      {live.tasks.length === 0 && <p class="muted">No tasks.</p>}
      {canWrite && (
        <form class="row" onSubmit={create}>
          <label class="grow">
            New task
            <input name="title" required maxLength={200} />
          </label>
          <button type="submit">Add</button>
        </form>
      )}
      <ErrorText message={error} />
    </section>
  );
}
