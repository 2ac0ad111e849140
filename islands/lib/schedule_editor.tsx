/**
 * The schedule: what is due and when (each removable), and a holiday theme — a version from one
 * date to another, then back to what is live now, all applied by the edges' clocks.
 */
import { useState } from "preact/hooks";
import { describeTarget, type LiveView, type VersionView } from "./app_types.ts";
import { type Outcome, scheduleHoliday, unschedule } from "./live_actions.ts";
import { RelTime } from "./rel_time.tsx";

interface Props {
  slug: string;
  live: LiveView;
  versions: VersionView[];
  canManage: boolean;
  now: number;
  locale: string;
  onDone: (outcome: Outcome) => void;
}

export function ScheduleEditor(props: Props) {
  const { live, canManage, now, locale } = props;
  return (
    <div class="stack">
      {live.schedule.length === 0
        ? <p class="muted" id="schedule-empty">Nothing scheduled.</p>
        : (
          <ul class="schedule" aria-label="Scheduled changes">
            {live.schedule.map((item) => (
              <li key={item.id} class="row spread">
                <span>
                  <strong>{describeTarget(item.version, item.split)}</strong>{" "}
                  <RelTime iso={item.at} now={now} locale={locale} />
                </span>
                {canManage && (
                  <button
                    type="button"
                    class="button small ghost"
                    onClick={async () => props.onDone(await unschedule(props.slug, item.id))}
                  >
                    Remove<span class="visually-hidden">
                      the change to {describeTarget(item.version, item.split)}
                    </span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      {canManage && <HolidayForm {...props} />}
    </div>
  );
}

function HolidayForm({ slug, live, versions, onDone }: Props) {
  const ready = versions.filter((v) => v.status === "ready");
  const [version, setVersion] = useState(ready.find((v) => v.number !== live.version)?.number ?? 0);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (ready.length === 0) return null;
  if (live.version === null) {
    return <p class="muted small">Promote a version first: a holiday theme reverts to it.</p>;
  }
  async function save(event: Event) {
    event.preventDefault();
    const start = new Date(from);
    const end = new Date(to);
    if (!(end > start)) return setProblem("The end must come after the start");
    setProblem(null);
    setBusy(true);
    onDone(await scheduleHoliday(slug, version, start, end, live.version!));
    setBusy(false);
  }
  return (
    <form class="holiday" onSubmit={save} aria-labelledby="holiday-title">
      <h3 id="holiday-title">Schedule a theme</h3>
      <p class="muted small">
        From the start, shoppers get the version you pick; at the end, v{live.version}{" "}
        (live now) comes back by itself.
      </p>
      <div class="holiday-fields">
        <div class="field">
          <label for="holiday-version">Version</label>
          <select
            id="holiday-version"
            value={version}
            onChange={(e) => setVersion(Number((e.target as HTMLSelectElement).value))}
          >
            {ready.map((v) => (
              <option key={v.number} value={v.number} selected={v.number === version}>
                v{v.number}
                {v.label ? ` · ${v.label}` : ""}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="holiday-from">From</label>
          <input
            id="holiday-from"
            type="datetime-local"
            required
            value={from}
            onInput={(e) => setFrom((e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="holiday-to">To</label>
          <input
            id="holiday-to"
            type="datetime-local"
            required
            value={to}
            onInput={(e) => setTo((e.target as HTMLInputElement).value)}
          />
        </div>
      </div>
      {problem && <p role="alert" class="error-text">{problem}</p>}
      <button type="submit" class="button primary" disabled={busy}>
        {busy ? "Scheduling…" : "Schedule"}
      </button>
    </form>
  );
}
