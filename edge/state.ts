/**
 * The edge's view of KV, in memory (DESIGN "Edge"): hosts and live records (`SiteCache`, kept
 * current by watch and revalidation), version file tables (built once; dropped when the
 * version is deleted, learnt from a change notice or the periodic re-read), blob bytes
 * (LRU within the byte budget), and what previews and injected files read. Blobs and manifests
 * are read with `consistency: "eventual"`: they never change once written.
 */
import type { Config } from "../config.ts";
import type { App } from "../kv/apps.ts";
import { readManifest } from "../kv/manifests.ts";
import { getVersion, versionsPresent } from "../kv/versions.ts";
import { versionsInUse } from "../kv/live_record.ts";
import { readBlob } from "../kv/blobs.ts";
import { onChange } from "../kv/changes.ts";
import { NotFoundError } from "../lib/errors.ts";
import { getLink } from "../kv/links.ts";
import type { TestLink } from "../kv/link_record.ts";
import { getSettings, type StoredSettings } from "../kv/settings.ts";
import { type Account, getAccount } from "../kv/accounts.ts";
import { BlobCache, type BlobSlot } from "./blob_cache.ts";
import { createLogger, errorFields, type Logger } from "../lib/log.ts";
import { Revalidating } from "./revalidating.ts";
import { IDLE_SWEEPS, type Site, SiteCache } from "./sites.ts";
import { PinSigner } from "./skew.ts";
import type { ShopperApiLoader } from "./shopper_api.ts";
import { buildVersionFiles, type VersionFiles } from "./version_files.ts";

export interface EdgeOptions {
  /**
   * Watch hosts and live records with `kv.watch`, and take this process's change notices
   * (default true). Off, the edge learns of changes only by revalidation, like an edge in
   * another region: a stand-in for one in tests and benchmarks (sharing this process's KV
   * handle, since a local SQLite file must not be opened by two processes).
   */
  watch?: boolean;
  /** Name the selected version and mode on the request's log line (when request lines are on). */
  annotate?: boolean;
  /** Where background failures (revalidation) are written; by default warnings and errors. */
  log?: Logger;
  /**
   * Leave the periodic timers (revalidation, counter flushes) to `startTimers()`: a process's
   * first timer costs ~5 ms to set up, which server.ts keeps out of the way of the first answer.
   */
  deferTimers?: boolean;
  /** Loads the shopper API on the first `/api/v1/` request to an app host (server.ts). */
  shopperApi?: ShopperApiLoader;
}

/** Version tables kept per app; past that, one not in use by the live target goes. */
const VERSIONS_PER_APP = 24;
const NONE: ReadonlySet<number> = new Set();

/**
 * A version's file table: null when the version's record is gone (a deleted version; numbers
 * are never used again, so that is for good), a promise while it loads.
 */
export type Loaded = VersionFiles | null | Promise<VersionFiles | null>;

interface TableSlot {
  files: Loaded;
  /** Sweep generation of the latest request. */
  seen: number;
}

export class EdgeState {
  readonly sites: SiteCache;
  readonly links: Revalidating<TestLink | null>;
  readonly settings: Revalidating<StoredSettings>;
  readonly accounts: Revalidating<Account | null>;
  readonly blobs: BlobCache;
  readonly pins: PinSigner;
  #versions = new Map<string, Map<number, TableSlot>>();
  #generation = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #revalidateMs: number;
  #sweeping: Promise<void> | null = null;
  #closed = false;
  #now: () => number;
  #unsubscribe: () => void;
  #log: Logger;

  constructor(private kv: Deno.Kv, config: Config, options: EdgeOptions = {}) {
    this.#log = options.log ?? createLogger({ level: "warn" });
    this.sites = new SiteCache(kv, {
      revalidateMs: config.revalidateMs,
      watch: options.watch ?? true,
      now: config.now,
      log: this.#log,
    });
    this.links = new Revalidating((key) => {
      const [appId, linkId] = key.split("/");
      return getLink(kv, appId, linkId);
    }, config.revalidateMs);
    this.settings = new Revalidating((appId) => getSettings(kv, appId), config.revalidateMs);
    this.accounts = new Revalidating((id) => getAccount(kv, id), config.revalidateMs);
    this.blobs = new BlobCache(config.edgeCacheBytes);
    this.pins = new PinSigner(config.secret!);
    this.#now = config.now;
    this.#revalidateMs = config.revalidateMs;
    if (!options.deferTimers) this.startTimers();
    const watch = options.watch ?? true;
    this.#unsubscribe = onChange(kv, (change) => {
      if (!watch) return;
      if (change.kind === "host") this.sites.hostChanged(change.slug);
      if (change.kind === "live") this.sites.liveChanged(change.appId);
      if (change.kind === "link") this.links.drop(`${change.appId}/${change.linkId}`);
      if (change.kind === "settings") this.settings.drop(change.appId);
      if (change.kind === "version") this.versionGone(change.appId, change.number);
    });
  }

  /**
   * The file table of a ready version: the table itself once loaded (no promise on a warm
   * request), else a promise of it; null when the version is not ready or gone. `site` (the
   * app's host) says which tables the live target needs: those are never evicted for another.
   */
  versionFiles(app: App, version: number, site: Site): Loaded {
    let tables = this.#versions.get(app.id);
    if (tables !== undefined) {
      const slot = tables.get(version);
      if (slot !== undefined) {
        slot.seen = this.#generation;
        return slot.files;
      }
    } else {
      tables = new Map();
      this.#versions.set(app.id, tables);
    }
    return this.#load(app, version, tables, site);
  }

  /** The versions of `appId` whose tables (or their absence, for gone ones) are held. */
  heldVersions(appId: string): number[] {
    return [...this.#versions.get(appId)?.keys() ?? []].sort((a, b) => a - b);
  }

  /** The record of `version` of `appId` is gone: its table is never served again. */
  versionGone(appId: string, version: number): void {
    const tables = this.#versions.get(appId);
    if (tables?.has(version)) tables.set(version, { files: null, seen: this.#generation });
  }

  #load(
    app: App,
    version: number,
    tables: Map<number, TableSlot>,
    site: Site,
  ): Promise<VersionFiles | null> {
    const slot: TableSlot = { files: null, seen: this.#generation };
    const loading = this.#loadVersion(app, version).then((files) => {
      // A notice, an eviction or a sweep may have replaced the slot meanwhile: theirs stands.
      if (tables.get(version) === slot) {
        if (files === "not ready") tables.delete(version);
        else slot.files = files === "gone" ? null : files;
      }
      return typeof files === "string" ? null : files;
    }, (error) => {
      if (tables.get(version) === slot) tables.delete(version);
      throw error;
    });
    slot.files = loading;
    tables.set(version, slot);
    if (tables.size > VERSIONS_PER_APP) evictOne(tables, version, site);
    return loading;
  }

  async #loadVersion(app: App, number: number): Promise<VersionFiles | "gone" | "not ready"> {
    try {
      const version = await getVersion(this.kv, app, number);
      if (version.status !== "ready") return "not ready";
      const manifest = await readManifest(this.kv, app.id, version);
      return await buildVersionFiles(app, version, manifest, this.blobs);
    } catch (error) {
      if (error instanceof NotFoundError) return "gone";
      throw error;
    }
  }

  /**
   * Every revalidation interval: drops tables nobody requested for a while, and re-reads (in
   * batches) the records of the tables a live record does not hold, dropping those whose
   * version was deleted meanwhile — by another process, whose change notice never reaches
   * this one. A version the live record holds cannot be deleted (the deletion checks it), so
   * the common case, an app with only its live table, costs no read.
   */
  #sweep(): void {
    if (this.#sweeping !== null || this.#closed) return;
    const generation = ++this.#generation;
    const now = this.#now();
    const live = this.sites.liveRecords();
    const checks: { appId: string; version: number; slot: TableSlot; files: VersionFiles }[] = [];
    for (const [appId, tables] of this.#versions) {
      let inUse: ReadonlySet<number> | null = null;
      for (const [version, slot] of tables) {
        const files = slot.files;
        if (files instanceof Promise) continue;
        if (inUse === null) {
          const record = live.get(appId);
          inUse = record ? versionsInUse(record, now) : NONE;
        }
        if (files !== null && inUse.has(version)) continue;
        if (generation - slot.seen > IDLE_SWEEPS) tables.delete(version);
        else if (files !== null) checks.push({ appId, version, slot, files });
      }
      if (tables.size === 0) this.#versions.delete(appId);
    }
    if (checks.length === 0) return;
    this.#sweeping = versionsPresent(this.kv, checks).then((present) => {
      for (const [i, { slot, files }] of checks.entries()) {
        if (!present[i] && slot.files === files) slot.files = null;
      }
    }, (error) => {
      this.#log.error("edge version revalidation failed", errorFields(error));
    }).finally(() => {
      this.#sweeping = null;
    });
  }

  /** Reads a blob from KV (eventually consistent: blobs are immutable). */
  readBlob(slot: BlobSlot): Promise<Uint8Array | null> {
    return readBlob(this.kv, slot.accountId, slot.sha256, slot.size);
  }

  /** Starts revalidating cached sites and sweeping version tables (once). */
  startTimers(): void {
    if (this.#closed) return;
    this.#timer ??= setInterval(() => this.#sweep(), this.#revalidateMs);
    this.sites.startTimer();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#unsubscribe();
    await this.#sweeping;
    await this.sites.close();
  }
}

/**
 * Makes room in an app's tables for `adding`: drops a gone version's slot first, else the
 * table requested longest ago (lowest number among equals) — never one the live target or a
 * split arm needs, so a burst of other versions cannot push the live table out.
 */
function evictOne(tables: Map<number, TableSlot>, adding: number, site: Site): void {
  const target = site.target;
  let victim = -1;
  let victimGone = false;
  let victimSeen = Infinity;
  for (const [version, slot] of tables) {
    if (version === adding || version === target.version) continue;
    if (target.split?.some((arm) => arm.version === version)) continue;
    const gone = slot.files === null;
    const better = victim === -1 || (gone && !victimGone) ||
      (gone === victimGone &&
        (slot.seen < victimSeen || (slot.seen === victimSeen && version < victim)));
    if (better) {
      victim = version;
      victimGone = gone;
      victimSeen = slot.seen;
    }
  }
  if (victim !== -1) tables.delete(victim);
}
