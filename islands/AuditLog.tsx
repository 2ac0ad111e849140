/**
 * The account's audit log from `GET /api/v1/audit?app=&actor=`: who changed what and when,
 * newest first, filtered by app and by member or token, a page at a time.
 */
import { useEffect, useState } from "preact/hooks";
import { getJson } from "./lib/api.ts";
import { Ago, type Clock, Failed, type Load, Loading } from "./lib/loading.tsx";

interface Entry {
  id: string;
  at: string;
  actor: { type: "person" | "token"; id: string; name: string };
  action: string;
  app: { id: string; slug: string } | null;
  target: { type: string; id: string } | null;
  summary: Record<string, string | number | boolean | null>;
  ip: string | null;
}

interface Props {
  apps: { slug: string; name: string }[];
  /** Members and tokens one may filter by: `{id, name}`. */
  actors: { id: string; name: string }[];
  app: string;
  actor: string;
  clock: Clock;
}

type Page = { items: Entry[]; next_cursor: string | null };

/** Each action as a person says it; an action added later reads as its parts. */
const ACTIONS: Record<string, string> = {
  "app.create": "Created the app",
  "app.delete": "Deleted the app",
  "version.create": "Uploaded a version",
  "version.ready": "Finished uploading a version",
  "version.delete": "Deleted a version",
  "live.promote": "Promoted a version",
  "live.split": "Split live traffic",
  "live.rollback": "Rolled back",
  "schedule.create": "Scheduled a change",
  "schedule.cancel": "Cancelled a scheduled change",
  "link.create": "Made a test link",
  "link.revoke": "Revoked a test link",
  "settings.update": "Changed settings",
  "token.create": "Made an API token",
  "token.revoke": "Revoked an API token",
  "member.invite": "Invited someone",
  "member.add": "Joined",
  "member.role": "Changed a role",
  "member.remove": "Removed a member",
  "account.update": "Changed the account",
  "passkey.add": "Added a passkey",
  "passkey.remove": "Removed a passkey",
  "session.sign_in": "Signed in",
  "product.create": "Added a product",
  "product.update": "Changed a product",
  "product.delete": "Deleted a product",
  "shopping_options.update": "Changed prices of shipping, tax or checkout options",
};

function describe(action: string): string {
  const [thing, verb = ""] = action.split(".");
  return ACTIONS[action] ?? `${verb.replace(/_/g, " ")} ${thing}`;
}

function details(entry: Entry): string {
  return Object.entries(entry.summary)
    .filter(([, value]) => value !== null && value !== "")
    .map(([name, value]) => `${name.replace(/_/g, " ")}: ${value}`)
    .join(" · ");
}

export default function AuditLog(props: Props) {
  const [app, setApp] = useState(props.app);
  const [actor, setActor] = useState(props.actor);
  const [load, setLoad] = useState<Load<Page>>({ state: "loading" });
  const [more, setMore] = useState(false);
  async function fetchPage(cursor: string | null): Promise<Page> {
    const query = new URLSearchParams({ limit: "50" });
    if (app) query.set("app", app);
    if (actor) query.set("actor", actor);
    if (cursor) query.set("cursor", cursor);
    return await getJson<Page>(`/audit?${query}`);
  }
  async function first() {
    setLoad({ state: "loading" });
    try {
      setLoad({ state: "ready", data: await fetchPage(null) });
    } catch (error) {
      setLoad({ state: "failed", what: "load the audit log", message: (error as Error).message });
    }
  }
  useEffect(() => {
    void first();
    const query = new URLSearchParams();
    if (app) query.set("app", app);
    if (actor) query.set("actor", actor);
    history.replaceState(null, "", query.size ? `?${query}` : location.pathname);
  }, [app, actor]);
  async function next() {
    if (load.state !== "ready" || !load.data.next_cursor) return;
    setMore(true);
    try {
      const page = await fetchPage(load.data.next_cursor);
      setLoad({ state: "ready", data: { ...page, items: [...load.data.items, ...page.items] } });
    } catch (error) {
      setLoad({ state: "failed", what: "load more entries", message: (error as Error).message });
    }
    setMore(false);
  }
  return (
    <div class="audit">
      <div class="filters" role="group" aria-label="Filter the log">
        <div class="field">
          <label for="audit-app">App</label>
          <select
            id="audit-app"
            value={app}
            onChange={(e) => setApp((e.target as HTMLSelectElement).value)}
          >
            <option value="">All apps</option>
            {props.apps.map((a) => <option key={a.slug} value={a.slug}>{a.name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="audit-actor">Who</label>
          <select
            id="audit-actor"
            value={actor}
            onChange={(e) => setActor((e.target as HTMLSelectElement).value)}
          >
            <option value="">Everyone</option>
            {props.actors.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
        </div>
      </div>
      {load.state === "loading" && <Loading label="Loading the audit log" rows={6} />}
      {load.state === "failed" && <Failed {...load} retry={first} />}
      {load.state === "ready" && (
        <Entries page={load.data} next={next} busy={more} clock={props.clock} />
      )}
    </div>
  );
}

function Entries({ page, next, busy, clock }: {
  page: Page;
  next: () => void;
  busy: boolean;
  clock: Clock;
}) {
  if (page.items.length === 0) {
    return (
      <p class="empty">
        Nothing recorded here yet. Changes appear as soon as someone deploys, promotes, makes a test
        link or changes settings.
      </p>
    );
  }
  return (
    <>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Audit log, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">App</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <Ago iso={entry.at} clock={clock} />
                </td>
                <td>
                  {entry.actor.name}
                  {entry.actor.type === "token" && (
                    <>
                      {" "}
                      <span class="badge">token</span>
                    </>
                  )}
                  {entry.ip && <div class="hint">{entry.ip}</div>}
                </td>
                <td>
                  <strong>{describe(entry.action)}</strong>
                  <div class="hint">{details(entry)}</div>
                </td>
                <td>
                  {entry.app ? <a href={`/apps/${entry.app.slug}`}>{entry.app.slug}</a> : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.next_cursor && (
        <p>
          <button type="button" class="button" onClick={next} disabled={busy}>
            {busy ? "Loading…" : "Older entries"}
          </button>
        </p>
      )}
    </>
  );
}
