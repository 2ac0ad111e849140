/** The release history as a timeline: each change of what is live, newest first. */
import { describeTarget, type ReleaseView } from "./app_types.ts";
import { RelTime } from "./rel_time.tsx";

const VERBS: Record<ReleaseView["kind"], string> = {
  promote: "Promoted",
  rollback: "Rolled back to",
  split: "Split traffic:",
  schedule: "Scheduled",
};

export function History(
  { releases, now, locale }: { releases: ReleaseView[]; now: number; locale: string },
) {
  if (releases.length === 0) return <p class="muted">No releases yet.</p>;
  return (
    <ol class="timeline" aria-label="Release history">
      {releases.map((release, i) => (
        <li key={`${release.at}-${i}`} class={`timeline-item ${release.kind}`}>
          <span class="dot" aria-hidden="true" />
          <div>
            <strong>{VERBS[release.kind]} {describeTarget(release.version, release.split)}</strong>
            {release.previous !== null && release.kind !== "schedule" && (
              <>
                {" "}
                <span class="muted">(was v{release.previous})</span>
              </>
            )}
            <div class="muted small">
              {release.by} · <RelTime iso={release.at} now={now} locale={locale} />
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}
