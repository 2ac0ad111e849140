/**
 * The edge's view of KV, in memory (DESIGN "Edge"): hosts and live records (`SiteCache`, kept
 * current by watch and revalidation), version file tables (immutable, built once), blob bytes
 * (LRU within the byte budget), and what previews and injected files read. Blobs and manifests
 * are read with `consistency: "eventual"`: they never change once written.
 */
import type { Config } from "../config.ts";
import type { App } from "../kv/apps.ts";
import { readManifest } from "../kv/manifests.ts";
import { getVersion } from "../kv/versions.ts";
import { readBlob } from "../kv/blobs.ts";
import { onChange } from "../kv/changes.ts";
import { NotFoundError } from "../lib/errors.ts";
import { getLink, type TestLink } from "../kv/links.ts";
import { getSettings, type StoredSettings } from "../kv/settings.ts";
import { type Account, getAccount } from "../kv/accounts.ts";
import { BlobCache, type BlobSlot } from "./blob_cache.ts";
import { Revalidating } from "./revalidating.ts";
import { SiteCache } from "./sites.ts";
import { PinSigner } from "./skew.ts";
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
}

/** Version tables kept per app; the oldest (lowest numbers) go first. */
const VERSIONS_PER_APP = 24;

type Loaded = VersionFiles | Promise<VersionFiles | null>;

export class EdgeState {
  readonly sites: SiteCache;
  readonly links: Revalidating<TestLink | null>;
  readonly settings: Revalidating<StoredSettings>;
  readonly accounts: Revalidating<Account | null>;
  readonly blobs: BlobCache;
  readonly pins: PinSigner;
  #versions = new Map<string, Map<number, Loaded>>();
  #unsubscribe: () => void;

  constructor(private kv: Deno.Kv, config: Config, options: EdgeOptions = {}) {
    this.sites = new SiteCache(kv, {
      revalidateMs: config.revalidateMs,
      watch: options.watch ?? true,
      now: config.now,
    });
    this.links = new Revalidating((key) => {
      const [appId, linkId] = key.split("/");
      return getLink(kv, appId, linkId);
    }, config.revalidateMs);
    this.settings = new Revalidating((appId) => getSettings(kv, appId), config.revalidateMs);
    this.accounts = new Revalidating((id) => getAccount(kv, id), config.revalidateMs);
    this.blobs = new BlobCache(config.edgeCacheBytes);
    this.pins = new PinSigner(config.secret!);
    const watch = options.watch ?? true;
    this.#unsubscribe = onChange((change) => {
      if (!watch) return;
      if (change.kind === "host") this.sites.hostChanged(change.slug);
      if (change.kind === "live") this.sites.liveChanged(change.appId);
      if (change.kind === "link") this.links.drop(`${change.appId}/${change.linkId}`);
      if (change.kind === "settings") this.settings.drop(change.appId);
    });
  }

  /**
   * The file table of a ready version: the table itself once loaded (no promise on a warm
   * request), else a promise of it; null when the version is not ready or gone.
   */
  versionFiles(app: App, version: number): Loaded {
    let versions = this.#versions.get(app.id);
    if (versions === undefined) {
      versions = new Map();
      this.#versions.set(app.id, versions);
    }
    const loaded = versions.get(version);
    if (loaded !== undefined) return loaded;
    const table = versions;
    const loading = this.#loadVersion(app, version).then((files) => {
      if (files) table.set(version, files);
      else table.delete(version);
      return files;
    }, (error) => {
      table.delete(version);
      throw error;
    });
    table.set(version, loading);
    if (table.size > VERSIONS_PER_APP) {
      const oldest = Math.min(...[...table.keys()].filter((n) => n !== version));
      table.delete(oldest);
    }
    return loading;
  }

  async #loadVersion(app: App, number: number): Promise<VersionFiles | null> {
    try {
      const version = await getVersion(this.kv, app, number);
      if (version.status !== "ready") return null;
      const [manifest, pin] = await Promise.all([
        readManifest(this.kv, app.id, version),
        this.pins.pin(app.id, number),
      ]);
      return buildVersionFiles(app, version, manifest, this.blobs, pin);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  /** Reads a blob from KV (eventually consistent: blobs are immutable). */
  readBlob(slot: BlobSlot): Promise<Uint8Array | null> {
    return readBlob(this.kv, slot.accountId, slot.sha256, slot.size);
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    await this.sites.close();
  }
}
