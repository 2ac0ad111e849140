/**
 * What the admin's dashboard shows of many apps at once, read in a few round trips instead of
 * several per app: their live records, the versions those name, and today's visitors. The same
 * records the API reads (`getLive`, `getVersion`, `readCounters`), batched.
 */
import type { App } from "./apps.ts";
import { readCounters } from "./counters.ts";
import { liveKey, versionKey } from "./keys.ts";
import type { LiveRecord } from "./live_record.ts";
import { getManyBatched } from "./page.ts";
import type { Version } from "./versions.ts";

export interface AppOverview {
  app: App;
  live: LiveRecord | null;
  /** The versions the live record names now (its version and split arms), by number. */
  versions: Map<number, Version>;
  /** Visitors counted today (UTC), every version and mode together. */
  visitorsToday: number;
}

/** Overviews of `apps`, in their order; `day` is `YYYY-MM-DD` (UTC). */
export async function appOverviews(
  kv: Deno.Kv,
  apps: App[],
  day: string,
): Promise<AppOverview[]> {
  const [lives, counters] = await Promise.all([
    getManyBatched<LiveRecord>(kv, apps.map((app) => liveKey(app.id))),
    Promise.all(apps.map((app) => readCounters(kv, app.id))),
  ]);
  const wanted: [number, number][] = [];
  lives.forEach((live, i) => {
    for (const number of namedVersions(live.value)) wanted.push([i, number]);
  });
  const versions = await getManyBatched<Version>(
    kv,
    wanted.map(([i, number]) => versionKey(apps[i].id, number)),
  );
  const overviews: AppOverview[] = apps.map((app, i) => ({
    app,
    live: lives[i].value,
    versions: new Map(),
    visitorsToday: counters[i]
      .filter((row) => row.day === day && row.name === "visitors")
      .reduce((sum, row) => sum + row.value, 0),
  }));
  wanted.forEach(([i, number], j) => {
    const version = versions[j].value;
    if (version) overviews[i].versions.set(number, version);
  });
  return overviews;
}

/** Every version a live record points at now or will by its schedule. */
function namedVersions(live: LiveRecord | null): Set<number> {
  const numbers = new Set<number>();
  if (!live) return numbers;
  if (live.version !== null) numbers.add(live.version);
  for (const arm of live.split ?? []) numbers.add(arm.version);
  for (const change of live.schedule) {
    if (change.version !== null) numbers.add(change.version);
    for (const arm of change.split ?? []) numbers.add(arm.version);
  }
  return numbers;
}
