/**
 * The members page's invitations: the form that invites someone by email (the link shown once when
 * no mail could go), and the waiting invitations, each cancellable. Part of the Members island.
 */
import { useState } from "preact/hooks";
import { apiError, postJson } from "./api.ts";
import { Ago, type Clock } from "./loading.tsx";
import CopyButton from "../CopyButton.tsx";

export const ROLES = ["owner", "developer", "analyst"];

export interface Invitation {
  id: string;
  email: string;
  role: string;
  created_at: string;
  expires_at: string;
}

export function Invite({ onDone }: { onDone: () => Promise<void> }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("developer");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ email: string; url: string | null } | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const response = await postJson("/account/invitations", { email, role });
    setBusy(false);
    if (!response.ok) return setError(await apiError(response));
    const created = await response.json() as { email: string; url: string | null };
    setSent({ email: created.email, url: created.url });
    setEmail("");
    await onDone();
  }
  return (
    <form class="form invite-form" onSubmit={submit}>
      <h3>Invite someone</h3>
      <div class="field">
        <label for="invite-email">Email</label>
        <input
          id="invite-email"
          type="email"
          required
          value={email}
          onInput={(event) => setEmail((event.target as HTMLInputElement).value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "invite-error" : undefined}
        />
      </div>
      <div class="field">
        <label for="invite-role">Role</label>
        <select
          id="invite-role"
          value={role}
          onChange={(event) => setRole((event.target as HTMLSelectElement).value)}
        >
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>Send invitation</button>
      </div>
      {error && <p class="error-text" id="invite-error" role="alert">{error}</p>}
      {sent && (
        <div class="notice" role="status">
          {sent.url
            ? (
              <>
                No mail went to {sent.email}: send them this link yourself (shown only now).
                <div class="copy-row">
                  <input class="mono" readOnly value={sent.url} aria-label="Invitation link" />
                  <CopyButton text={sent.url} label="Copy the invitation link" />
                </div>
              </>
            )
            : `Invitation mailed to ${sent.email}.`}
        </div>
      )}
    </form>
  );
}

export function Invitations({ invitations, act, clock }: {
  clock: Clock;
  invitations: Invitation[];
  act: (request: Promise<Response>) => Promise<void>;
}) {
  if (invitations.length === 0) {
    return <p class="hint">No invitations waiting. Invite a teammate above.</p>;
  }
  return (
    <div class="table-wrap">
      <h3>Waiting invitations</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {invitations.map((invitation) => (
            <tr key={invitation.id}>
              <td>{invitation.email}</td>
              <td>
                <span class="badge">{invitation.role}</span>
              </td>
              <td>
                <Ago iso={invitation.expires_at} clock={clock} />
              </td>
              <td class="actions">
                <button
                  type="button"
                  class="button small danger"
                  aria-label={`Cancel the invitation of ${invitation.email}`}
                  onClick={() =>
                    act(postJson(`/account/invitations/${invitation.id}`, undefined, "DELETE"))}
                >
                  Cancel
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
