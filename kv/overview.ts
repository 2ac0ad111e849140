/**
 * What the admin's dashboard shows of many apps at once, read in three round trips of batched
 * gets rather than several reads per app: the apps' live records, then together the versions
 * live now (for their labels) and today's visitors of each. The records the API reads
 * (`getLive`, `getVersion`, the counters), batched.
 */
import type { App } from "./apps.ts";
import { counterKey, liveKey, versionKey } from "./keys.ts";
import { activeTarget, type LiveRecord } from "./live_record.ts";
import { getManyBatched } from "./page.ts";
import type { Version } from "./versions.ts";

export interface AppOverview {
  app: App;
  live: LiveRecord | null;
  /** The versions live now (the version, or each arm of a split), by number. */
  versions: Map<number, Version>;
  /**
   * Shoppers' visitors counted today (UTC) on the versions live now: a version taken off live
   * earlier today is not in it (the stats pages have every version).
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
  const wanted: [number, number][] = [];
  lives.forEach((live, i) => {
    const target = activeTarget(live.value, now);
    const numbers = target.split?.map((arm) => arm.version) ?? [target.version];
    for (const number of numbers) if (number !== null) wanted.push([i, number]);
  });
  const keys = wanted.flatMap(([i, number]) => [
    versionKey(apps[i].id, number),
    counterKey(apps[i].id, number, "live", day, "visitors"),
  ]);
  const entries = await getManyBatched<Version | Deno.KvU64>(kv, keys, eventual);
  const overviews: AppOverview[] = apps.map((app, i) => ({
    app,
    live: lives[i].value,
    versions: new Map(),
    visitorsToday: 0,
  }));
  wanted.forEach(([i, number], j) => {
    const version = entries[2 * j].value as Version | null;
    const visitors = entries[2 * j + 1].value as Deno.KvU64 | null;
    if (version) overviews[i].versions.set(number, version);
    if (visitors) overviews[i].visitorsToday += Number(visitors.value);
  });
  return overviews;
}
