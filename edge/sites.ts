/**
 * Host → app → live record, in memory (DESIGN "Edge"). A warm request reads a `Site`
 * synchronously: no KV read, no promise. What can change is kept current in the background —
 * by `kv.watch` (when on) and by a sweep every revalidation interval that re-reads the hosts
 * requested lately in batched reads. A change made by this process (promote, app deletion)
 * makes the next request wait for a fresh read, so it is seen at once.
 */
import { type App, SLUG_PATTERN } from "../kv/apps.ts";
import { activeTarget, type LiveRecord, type Target } from "../kv/live_record.ts";
import {
  type HostChange,
  type HostPointers,
  readHost,
  rereadHosts,
  watchHost,
} from "../kv/watch.ts";
import { errorFields, type Logger } from "../lib/log.ts";

/** How many earlier live versions skew protection looks through for a missing hashed asset. */
const SKEW_DEPTH = 10;
/** A host (with its watch) or a version table not requested for this many sweeps is dropped. */
export const IDLE_SWEEPS = 120;
/** Unknown hosts remembered at most (each costs a KV read when it comes back after that). */
const MAX_UNKNOWN = 10_000;
export interface Site {
  slug: string;
  app: App | null;
  live: LiveRecord | null;
  liveStamp: string;
  /** The target in force, valid until `targetUntil` (the next scheduled change). */
  target: Target;
  targetUntil: number;
  /** Versions live before, most recent first (history of the record). */
  earlier: number[];
  loadedAt: number;
  /** Sweep generation of the latest request. */
  seen: number;
  /** A read every request must wait for (this process changed the host). */
  reload: Promise<Site> | null;
  stopWatch: (() => Promise<void>) | null;
}

interface SiteOptions {
  revalidateMs: number;
  /** Off: another region's edge, seeing changes only through revalidation. */
  watch: boolean;
  /**
   * Start no watch before `startTimer()`: a process's first `kv.watch` held up the KV reads
   * right after it by ~5 ms (measured), and those are the first answer's. A watch's first
   * value is the current state, so one started later misses nothing.
   */
  holdWatches?: boolean;
  now: () => number;
  log: Logger;
}

export class SiteCache {
  #sites = new Map<string, Site>();
  #unknown = new Map<string, Site>();
  #loading = new Map<string, Promise<Site>>();
  #generation = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #sweeping: Promise<void> | null = null;
  #closed = false;
  #watchesHeld: boolean;

  constructor(private kv: Deno.Kv, private options: SiteOptions) {
    this.#watchesHeld = options.holdWatches ?? false;
  }

  /**
   * Starts the periodic revalidation, and the watches held until now (EdgeState.startTimers
   * says when).
   */
  startTimer(): void {
    if (this.#closed) return;
    this.#timer ??= setInterval(() => this.#sweep(), this.options.revalidateMs);
    if (!this.#watchesHeld) return;
    this.#watchesHeld = false;
    for (const site of this.#sites.values()) if (site.stopWatch === null) this.#watch(site);
  }

  /** The site of `slug`: the cached one when current, else a promise of a fresh read. */
  get(slug: string): Site | Promise<Site> {
    const site = this.#sites.get(slug);
    if (site !== undefined) {
      if (site.reload !== null) return site.reload;
      site.seen = this.#generation;
      return site;
    }
    // A label that is not a slug names no app: never looked up (KV keys have a size limit) nor
    // remembered. Checked only for hosts not cached, so a warm request does not pay for it.
    if (!SLUG_PATTERN.test(slug)) return NOT_A_SLUG;
    const unknown = this.#unknown.get(slug);
    const age = unknown === undefined ? Infinity : this.options.now() - unknown.loadedAt;
    return age < this.options.revalidateMs ? unknown! : this.#load(slug);
  }

  /** The target of `site` at `now`, recomputed only when a scheduled change came due. */
  target(site: Site, now: number): Target {
    if (now >= site.targetUntil) derive(site, now);
    return site.target;
  }

  /** This process changed the host `slug`: the next request reads it again. */
  hostChanged(slug: string): void {
    this.#unknown.delete(slug);
    const site = this.#sites.get(slug);
    if (site) this.#reload(site);
  }

  /** This process changed the live record of `appId`: the next request reads it again. */
  liveChanged(appId: string): void {
    for (const site of this.#sites.values()) if (site.app?.id === appId) this.#reload(site);
  }

  /** The live record of every app whose host is cached, by app id. */
  liveRecords(): Map<string, LiveRecord | null> {
    const out = new Map<string, LiveRecord | null>();
    for (const site of this.#sites.values()) if (site.app) out.set(site.app.id, site.live);
    return out;
  }

  /** Stops the sweep and every watch. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#sweeping;
    await Promise.all([...this.#sites.values()].map((site) => this.#unwatch(site)));
  }

  #load(slug: string): Promise<Site> {
    let loading = this.#loading.get(slug);
    if (loading) return loading;
    const now = this.options.now();
    loading = readHost(this.kv, slug).then((pointers) => {
      const site = newSite(slug, now, this.#generation);
      this.#apply(site, pointers, now);
      return site;
    }).finally(() => this.#loading.delete(slug));
    this.#loading.set(slug, loading);
    return loading;
  }

  #reload(site: Site): void {
    const now = this.options.now();
    const reload = readHost(this.kv, site.slug).then((pointers) => {
      this.#apply(site, pointers, now);
      return site;
    }).finally(() => {
      if (site.reload === reload) site.reload = null;
    });
    site.reload = reload;
  }

  /** Takes a read into `site`; an older read never replaces a newer live record. */
  #apply(site: Site, pointers: HostPointers, now: number): void {
    const moved = (site.app?.id ?? null) !== (pointers.app?.id ?? null);
    if (moved || pointers.liveStamp >= site.liveStamp) {
      site.app = pointers.app;
      site.live = pointers.live;
      site.liveStamp = pointers.liveStamp;
      derive(site, now);
    }
    site.loadedAt = now;
    if (site.app === null) {
      this.#forget(site);
      this.#unknown.set(site.slug, site);
      if (this.#unknown.size > MAX_UNKNOWN) {
        this.#unknown.delete(this.#unknown.keys().next().value!);
      }
      return;
    }
    this.#unknown.delete(site.slug);
    this.#sites.set(site.slug, site);
    if (moved || (site.stopWatch === null && this.options.watch)) this.#watch(site);
  }

  #watch(site: Site): void {
    const previous = site.stopWatch;
    site.stopWatch = null;
    previous?.();
    if (!this.options.watch || this.#watchesHeld || this.#closed || site.app === null) return;
    site.stopWatch = watchHost(this.kv, site.slug, site.app.id, (change: HostChange) => {
      if (change.kind === "moved") return this.#reload(site);
      if (change.liveStamp > site.liveStamp) {
        site.live = change.live;
        site.liveStamp = change.liveStamp;
        derive(site, this.options.now());
      }
    });
  }

  #forget(site: Site): void {
    if (this.#sites.get(site.slug) === site) this.#sites.delete(site.slug);
    void this.#unwatch(site);
  }

  async #unwatch(site: Site): Promise<void> {
    const stop = site.stopWatch;
    site.stopWatch = null;
    await stop?.();
  }

  #sweep(): void {
    if (this.#sweeping || this.#closed) return;
    this.#generation++;
    const hosts: { slug: string; app: App }[] = [];
    for (const site of this.#sites.values()) {
      if (this.#generation - site.seen > IDLE_SWEEPS) this.#forget(site);
      else if (site.app && site.reload === null) hosts.push({ slug: site.slug, app: site.app });
    }
    if (!hosts.length) return;
    const now = this.options.now();
    this.#sweeping = rereadHosts(this.kv, hosts).then((fresh) => {
      for (const [slug, pointers] of fresh) {
        const site = this.#sites.get(slug);
        if (site && site.reload === null) this.#apply(site, pointers, now);
      }
    }).catch((error) => {
      this.options.log.error("edge revalidation failed", errorFields(error));
    }).finally(() => {
      this.#sweeping = null;
    });
  }
}

/** The site of every label that cannot be a slug: no app (never changed, never cached). */
const NOT_A_SLUG: Site = Object.freeze(newSite("", 0, 0));

function newSite(slug: string, now: number, generation: number): Site {
  return {
    slug,
    app: null,
    live: null,
    liveStamp: "",
    target: { version: null, split: null },
    targetUntil: Infinity,
    earlier: [],
    loadedAt: now,
    seen: generation,
    reload: null,
    stopWatch: null,
  };
}

/** Computes what a request needs from the live record, once per record (and schedule step). */
function derive(site: Site, now: number): void {
  site.target = activeTarget(site.live, now);
  let until = Infinity;
  for (const change of site.live?.schedule ?? []) {
    const at = Date.parse(change.at);
    if (at > now && at < until) until = at;
  }
  site.targetUntil = until;
  const current = new Set([
    site.target.version,
    ...(site.target.split ?? []).map((a) => a.version),
  ]);
  const earlier: number[] = [];
  for (const version of [...(site.live?.history ?? [])].reverse()) {
    if (!current.has(version) && !earlier.includes(version)) earlier.push(version);
    if (earlier.length === SKEW_DEPTH) break;
  }
  site.earlier = earlier;
}
