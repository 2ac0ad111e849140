/**
 * The edge's view of KV, cached in memory (DESIGN "Edge"). Immutable things (manifests,
 * blobs) are cached until evicted; the two mutable ones (host → app, app → live record) are
 * re-read when older than the revalidation interval, and dropped at once when this process
 * itself changes them.
 */
import type { Config } from "../config.ts";
import { type App, findAppBySlug } from "../kv/apps.ts";
import { getLive } from "../kv/live.ts";
import type { LiveRecord } from "../kv/live_record.ts";
import { readManifest } from "../kv/manifests.ts";
import { getVersion } from "../kv/versions.ts";
import { readBlob } from "../kv/blobs.ts";
import { onChange } from "../kv/changes.ts";
import { NotFoundError } from "../lib/errors.ts";
import { getLink, type TestLink } from "../kv/links.ts";
import { getSettings, type StoredSettings } from "../kv/settings.ts";
import { type Account, getAccount } from "../kv/accounts.ts";
import { BlobCache } from "./blob_cache.ts";
import { buildVersionFiles, type EdgeFile, type VersionFiles } from "./version_files.ts";

interface Fresh<T> {
  value: Promise<T>;
  checkedAt: number;
}

/** Caches `load(key)` and loads again once an entry is older than `maxAgeMs`. */
class Revalidating<T> {
  #entries = new Map<string, Fresh<T>>();

  constructor(private load: (key: string) => Promise<T>, private maxAgeMs: number) {}

  get(key: string, now = Date.now()): Promise<T> {
    const entry = this.#entries.get(key);
    if (entry && now - entry.checkedAt < this.maxAgeMs) return entry.value;
    const value = this.load(key);
    this.#entries.set(key, { value, checkedAt: now });
    value.catch(() => this.#entries.delete(key));
    return value;
  }

  drop(key: string): void {
    this.#entries.delete(key);
  }
}

export class EdgeState {
  readonly apps: Revalidating<App | null>;
  readonly live: Revalidating<LiveRecord | null>;
  readonly links: Revalidating<TestLink | null>;
  readonly settings: Revalidating<StoredSettings>;
  readonly accounts: Revalidating<Account | null>;
  readonly blobs: BlobCache;
  #versions = new Map<string, Promise<VersionFiles | null>>();
  #unsubscribe: () => void;

  constructor(private kv: Deno.Kv, config: Config) {
    this.apps = new Revalidating((slug) => findAppBySlug(kv, slug), config.revalidateMs);
    this.live = new Revalidating(
      async (appId) => (await getLive(kv, appId)).value,
      config.revalidateMs,
    );
    this.links = new Revalidating((key) => {
      const [appId, linkId] = key.split("/");
      return getLink(kv, appId, linkId);
    }, config.revalidateMs);
    this.settings = new Revalidating((appId) => getSettings(kv, appId), config.revalidateMs);
    this.accounts = new Revalidating((id) => getAccount(kv, id), config.revalidateMs);
    this.blobs = new BlobCache(config.edgeCacheBytes);
    this.#unsubscribe = onChange((change) => {
      if (change.kind === "host") this.apps.drop(change.slug);
      if (change.kind === "live") this.live.drop(change.appId);
      if (change.kind === "link") this.links.drop(`${change.appId}/${change.linkId}`);
      if (change.kind === "settings") this.settings.drop(change.appId);
    });
  }

  /** The version record itself (for its settings schema); cached like the file table. */
  async version(app: App, number: number) {
    return (await this.versionFiles(app, number))?.record ?? null;
  }

  /** The file table of a version, built once and kept (a version never changes). */
  versionFiles(app: App, version: number): Promise<VersionFiles | null> {
    const key = `${app.id}/${version}`;
    let files = this.#versions.get(key);
    if (!files) {
      files = this.#loadVersion(app, version);
      this.#versions.set(key, files);
      files.then((value) => value ?? this.#versions.delete(key), () => this.#versions.delete(key));
    }
    return files;
  }

  async #loadVersion(
    app: App,
    number: number,
  ): Promise<VersionFiles | null> {
    try {
      const version = await getVersion(this.kv, app, number);
      if (version.status !== "ready") return null;
      return buildVersionFiles(
        app.account_id,
        version,
        await readManifest(this.kv, app.id, version),
      );
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  /** A file's bytes: from memory when warm, else from KV (then kept within the budget). */
  async bytes(app: App, file: EdgeFile): Promise<Uint8Array | null> {
    const cached = this.blobs.get(file.blobKey);
    if (cached) return cached;
    const bytes = await readBlob(this.kv, app.account_id, file.sha256, file.size);
    if (bytes) this.blobs.set(file.blobKey, bytes);
    return bytes;
  }

  close(): void {
    this.#unsubscribe();
  }
}
