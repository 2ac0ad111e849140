/** What shoppers get now, who changed it, and the one-click rollback. */
import { useState } from "preact/hooks";
import { describeTarget, type LiveView, versionName, type VersionView } from "./app_types.ts";
import { type Outcome, rollBack } from "./live_actions.ts";
import { RelTime } from "./rel_time.tsx";

interface Props {
  slug: string;
  url: string;
  live: LiveView;
  versions: VersionView[];
  canDeploy: boolean;
  canRollBack: boolean;
  now: number;
  locale: string;
  onDone: (outcome: Outcome) => void;
}

export function LivePanel(props: Props) {
  const { live, versions, now, locale } = props;
  const [busy, setBusy] = useState(false);
  const current = versions.find((v) => v.number === live.version);
  async function undo() {
    setBusy(true);
    props.onDone(await rollBack(props.slug));
    setBusy(false);
  }
  return (
    <section class="card live-panel" aria-labelledby="live-title">
      <div class="row spread">
        <h2 id="live-title">Live now</h2>
        <a class="host" href={props.url} target="_blank" rel="noopener">
          {props.url.replace(/^https?:\/\//, "")}
        </a>
      </div>
      <p class="live-now" id="live-now">
        {live.split
          ? (
            <>
              Split: <strong>{describeTarget(null, live.split)}</strong>
            </>
          )
          : live.version === null
          ? <>Nothing is live yet: promote a version below.</>
          : (
            <>
              <span class="badge live">v{live.version}</span>{" "}
              <strong>{versionName(current, live.version)}</strong>
            </>
          )}
      </p>
      {live.updated_at && live.updated_by && (
        <p class="muted small">
          Changed by {live.updated_by} <RelTime iso={live.updated_at} now={now} locale={locale} />
        </p>
      )}
      {props.canDeploy && props.canRollBack && (
        <button type="button" class="button danger" onClick={undo} disabled={busy} id="rollback">
          {busy ? "Rolling back…" : "Roll back"}
        </button>
      )}
    </section>
  );
}
