/**
 * The account's members and pending invitations, from `/api/v1/account/members` and
 * `/api/v1/account/invitations`. Owners change roles, remove members, invite by email and cancel
 * invitations; everyone else sees the list only (and the server refuses them anyway).
 */
import { useState } from "preact/hooks";
import { apiError, getJson, postJson } from "./lib/api.ts";
import { Ago, type Clock, Failed, type Load } from "./lib/loading.tsx";
import CopyButton from "./CopyButton.tsx";

interface Member {
  id: string;
  name: string | null;
  email: string | null;
  role: string;
  joined_at: string;
}

interface Invitation {
  id: string;
  email: string;
  role: string;
  created_at: string;
  expires_at: string;
}

interface Props {
  /** Owners manage members; the page passes the signed-in role's right. */
  canManage: boolean;
  /** The signed-in person, who cannot remove themself here. */
  me: string;
  clock: Clock;
  /** The lists as the page was rendered (the API's shapes), so nothing loads on arrival. */
  initial: Data;
}

const ROLES = ["owner", "developer", "analyst"];

export type Data = { members: Member[]; invitations: Invitation[] };

export default function Members({ canManage, me, clock, initial }: Props) {
  const [load, setLoad] = useState<Load<Data>>({ state: "ready", data: initial });
  const [problem, setProblem] = useState<string | null>(null);
  async function refresh() {
    try {
      const members = await getJson<{ items: Member[] }>("/account/members?limit=100");
      const invitations = canManage
        ? await getJson<{ items: Invitation[] }>("/account/invitations?limit=100")
        : { items: [] };
      setLoad({ state: "ready", data: { members: members.items, invitations: invitations.items } });
    } catch (error) {
      setLoad({ state: "failed", what: "load the members", message: (error as Error).message });
    }
  }
  async function act(request: Promise<Response>) {
    setProblem(null);
    const response = await request;
    if (!response.ok) setProblem(await apiError(response));
    await refresh();
  }
  if (load.state !== "ready") {
    return load.state === "failed" ? <Failed {...load} retry={refresh} /> : null;
  }
  const { members, invitations } = load.data;
  return (
    <div class="members">
      {problem && <p class="error-box" role="alert">{problem}</p>}
      <MemberTable members={members} canManage={canManage} me={me} act={act} clock={clock} />
      {canManage && <Invite onDone={refresh} />}
      {canManage && <Invitations invitations={invitations} act={act} clock={clock} />}
    </div>
  );
}

function MemberTable({ members, canManage, me, act, clock }: {
  clock: Clock;
  members: Member[];
  canManage: boolean;
  me: string;
  act: (request: Promise<Response>) => Promise<void>;
}) {
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Members of this account</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Role</th>
            <th scope="col">Joined</th>
            {canManage && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.id}>
              <td>
                <strong>{member.name ?? member.email}</strong>
                {member.id === me && (
                  <>
                    {" "}
                    <span class="badge accent">you</span>
                  </>
                )}
                {member.email && member.name && <div class="hint">{member.email}</div>}
              </td>
              <td>
                {canManage
                  ? (
                    <select
                      aria-label={`Role of ${member.name ?? member.email}`}
                      value={member.role}
                      onChange={(event) =>
                        act(postJson(`/account/members/${member.id}`, {
                          role: (event.target as HTMLSelectElement).value,
                        }, "PATCH"))}
                    >
                      {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
                    </select>
                  )
                  : <span class="badge">{member.role}</span>}
              </td>
              <td>
                <Ago iso={member.joined_at} clock={clock} />
              </td>
              {canManage && (
                <td class="actions">
                  {member.id !== me && (
                    <button
                      type="button"
                      class="button small danger"
                      aria-label={`Remove ${member.name ?? member.email}`}
                      onClick={() => {
                        if (confirm(`Remove ${member.name ?? member.email} from this account?`)) {
                          act(postJson(`/account/members/${member.id}`, undefined, "DELETE"));
                        }
                      }}
                    >
                      Remove
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Invite({ onDone }: { onDone: () => Promise<void> }) {
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

function Invitations({ invitations, act, clock }: {
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
