// Who shares the session: the list for everyone, and for the owner sharing by email (editor or
// viewer) and removing people.
import { useEffect, useState } from "preact/hooks";
import { type Api, errorMessage } from "./api.ts";
import { ErrorText } from "./error-text.tsx";
import type { GrantableRole, Member } from "./model.ts";

interface Props {
  api: Api;
  sessionId: string;
  isOwner: boolean;
}

export function Members({ api, sessionId, isOwner }: Props) {
  const [members, setMembers] = useState<Member[]>([]);
  const [error, setError] = useState<string>();

  const load = () =>
    api
      .listMembers(sessionId)
      .then((page) => setMembers(page.items))
      .catch((failure: unknown) => setError(errorMessage(failure)));
  useEffect(() => {
    load();
  }, [api, sessionId]);

  const share = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setError(undefined);
    try {
      await api.addMember(sessionId, String(data.get("email") ?? ""), String(data.get("role")) as GrantableRole);
      form.reset();
      await load();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const remove = async (member: Member) => {
    setError(undefined);
    try {
      await api.removeMember(sessionId, member.userId);
      await load();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  return (
    <section class="members" aria-labelledby="members-title">
      <h3 id="members-title">Members</h3>
      <ul>
        {members.map((m) => (
          <li key={m.userId}>
            <span>{m.email}</span> <span class={`badge ${m.role}`}>{m.role}</span>
            {isOwner && m.role !== "owner" && (
              <button type="button" class="link" onClick={() => remove(m)} aria-label={`Remove ${m.email}`}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {isOwner && (
        <form class="share" onSubmit={share}>
          <label>
            Share with (email)
            <input name="email" type="email" required />
          </label>
          <label>
            Role
            <select name="role">
              <option value="editor">editor</option>
              <option value="viewer">viewer</option>
            </select>
          </label>
          <button type="submit">Share</button>
        </form>
      )}
      <ErrorText message={error} />
    </section>
  );
}
