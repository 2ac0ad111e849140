/** The traffic split: two or more ready versions with weights that add up to 100. */
import { useState } from "preact/hooks";
import type { Arm, LiveView, VersionView } from "./app_types.ts";
import { type Outcome, splitTraffic } from "./live_actions.ts";

interface Props {
  slug: string;
  live: LiveView;
  versions: VersionView[];
  onDone: (outcome: Outcome) => void;
}

function initialArms(live: LiveView, ready: VersionView[]): Arm[] {
  if (live.split) return live.split;
  const first = live.version ?? ready[0]?.number;
  const second = ready.find((v) => v.number !== first)?.number;
  return first && second ? [{ version: first, weight: 50 }, { version: second, weight: 50 }] : [];
}

export function SplitEditor({ slug, live, versions, onDone }: Props) {
  const ready = versions.filter((v) => v.status === "ready");
  const [arms, setArms] = useState<Arm[]>(() => initialArms(live, ready));
  const [busy, setBusy] = useState(false);
  if (ready.length < 2) {
    return <p class="muted">A split needs two ready versions.</p>;
  }
  const total = arms.reduce((sum, arm) => sum + arm.weight, 0);
  const change = (i: number, arm: Partial<Arm>) =>
    setArms(arms.map((old, j) => (i === j ? { ...old, ...arm } : old)));
  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    onDone(await splitTraffic(slug, arms, live.version));
    setBusy(false);
  }
  return (
    <form class="stack split-editor" onSubmit={save}>
      {arms.map((arm, i) => (
        <div class="row arm" key={i}>
          <label class="visually-hidden" for={`arm-version-${i}`}>Version of share {i + 1}</label>
          <select
            id={`arm-version-${i}`}
            value={arm.version}
            onChange={(e) => change(i, { version: Number((e.target as HTMLSelectElement).value) })}
          >
            {ready.map((v) => (
              <option key={v.number} value={v.number} selected={v.number === arm.version}>
                v{v.number}
                {v.label ? ` · ${v.label}` : ""}
              </option>
            ))}
          </select>
          <label class="visually-hidden" for={`arm-weight-${i}`}>
            Share of version {arm.version} in percent
          </label>
          <input
            id={`arm-weight-${i}`}
            type="number"
            min={1}
            max={99}
            value={arm.weight}
            class="weight"
            onInput={(e) => change(i, { weight: Number((e.target as HTMLInputElement).value) })}
          />
          <span aria-hidden="true">%</span>
          {arms.length > 2 && (
            <button
              type="button"
              class="button small ghost"
              onClick={() => setArms(arms.filter((_, j) => j !== i))}
            >
              Remove<span class="visually-hidden">share {i + 1}</span>
            </button>
          )}
        </div>
      ))}
      <div class="row">
        {arms.length < Math.min(10, ready.length) && (
          <button
            type="button"
            class="button small"
            onClick={() =>
              setArms([...arms, {
                version: ready.find((v) => !arms.some((a) => a.version === v.number))!.number,
                weight: 0,
              }])}
          >
            Add a version
          </button>
        )}
        <span class={total === 100 ? "muted small" : "error-text"} aria-live="polite">
          {total === 100 ? "Adds up to 100%" : `Adds up to ${total}%: make it 100%`}
        </span>
      </div>
      <button type="submit" class="button primary" disabled={busy || total !== 100}>
        {busy ? "Saving…" : "Split traffic"}
      </button>
    </form>
  );
}
