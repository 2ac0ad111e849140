/**
 * What the admin's dashboard shows of many apps at once, read in three round trips of batched
 * gets rather than several reads per app: the apps' live records, then together the versions
 * live now (for their labels) and today's visitors of each. The records the API reads
 * (`getLive`, `getVersion`, the counters), batched.
 */
import type { App } from "./apps.ts";
import { counterKey, liveKey, versionKey } from "./keys.ts";
import { activeTarget, type LiveRecord, type Target } from "./live_record.ts";
import { getManyBatched } from "./page.ts";
import type { Version } from "./versions.ts";

export interface AppOverview {
  app: App;
  live: LiveRecord | null;
  /** The versions live now (the version, or each arm of a split), by number. */
  versions: Map<number, Version>;
  /**
   * Shoppers counted today (UTC), on every version that can have served them today: the ones
   * live now, the record's own before a scheduled change, and, when live changed today, the last
   * few it replaced. (A visitor is counted once a day, under the first version that served them.)
   */
  visitorsToday: number;
}

/** Overviews of `apps`, in their order; `day` is `YYYY-MM-DD` (UTC), `now` applies schedules. */
export async function appOverviews(
  kv: Deno.Kv,
  apps: App[],
  day: string,
  now: number,
): Promise<AppOverview[]> {
  // Eventual reads: a dashboard may lag a moment, and on Deno Deploy they stay in the region.
  const eventual = { consistency: "eventual" } as const;
  const lives = await getManyBatched<LiveRecord>(kv, apps.map((app) => liveKey(app.id)), eventual);
  const liveNow: [number, number][] = [];
  const servedToday: [number, number][] = [];
  lives.forEach((live, i) => {
    const target = activeTarget(live.value, now);
    for (const number of versionsOf(target)) liveNow.push([i, number]);
    for (const number of servedOn(live.value, target, day)) servedToday.push([i, number]);
  });
  const keys = [
    ...liveNow.map(([i, number]) => versionKey(apps[i].id, number)),
    ...servedToday.map(([i, number]) => counterKey(apps[i].id, number, "live", day, "visitors")),
  ];
  const entries = await getManyBatched<Version | Deno.KvU64>(kv, keys, eventual);
  const overviews: AppOverview[] = apps.map((app, i) => ({
    app,
    live: lives[i].value,
    versions: new Map(),
    visitorsToday: 0,
  }));
  liveNow.forEach(([i, number], j) => {
    const version = entries[j].value as Version | null;
    if (version) overviews[i].versions.set(number, version);
  });
  servedToday.forEach(([i], j) => {
    const visitors = entries[liveNow.length + j].value as Deno.KvU64 | null;
    if (visitors) overviews[i].visitorsToday += Number(visitors.value);
  });
  return overviews;
}

/** How many versions live replaced today are looked at for today's visitors. */
const REPLACED_TODAY = 3;

function versionsOf(target: { version: number | null; split: { version: number }[] | null }) {
  const numbers = target.split?.map((arm) => arm.version) ?? [target.version];
  return numbers.filter((number): number is number => number !== null);
}

/** The versions that can have served shoppers on `day` (see `visitorsToday`). */
function servedOn(live: LiveRecord | null, target: Target, day: string): Set<number> {
  const numbers = new Set(versionsOf(target));
  if (!live) return numbers;
  for (const number of versionsOf(live)) numbers.add(number);
  if (live.updated_at.startsWith(day)) {
    for (const number of live.history.slice(-REPLACED_TODAY)) numbers.add(number);
  }
  return numbers;
}
