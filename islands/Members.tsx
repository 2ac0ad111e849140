/**
 * The account's members and pending invitations, from `/api/v1/account/members` and
 * `/api/v1/account/invitations`. Owners change roles, remove members, invite by email and cancel
 * invitations; everyone else sees the list only (and the server refuses them anyway).
 */
import { useState } from "preact/hooks";
import { apiError, getJson, postJson } from "./lib/api.ts";
import { Ago, type Clock, Failed, type Load } from "./lib/loading.tsx";
import { type Invitation, Invitations, Invite, ROLES } from "./lib/invitations.tsx";

interface Member {
  id: string;
  name: string | null;
  email: string | null;
  role: string;
  joined_at: string;
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
