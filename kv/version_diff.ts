/**
 * What changed between two versions of an app, file by file: added, removed and changed paths
 * (a change is a different SHA-256 at the same path). The admin's version page and the API's
 * `…/versions/{n}/diff` both read it from here.
 */
import { getLive } from "./live.ts";
import { activeTarget, type LiveRecord } from "./live_record.ts";
import { type ManifestFile, readManifest } from "./manifests.ts";
import type { App } from "./apps.ts";
import { getVersion } from "./versions.ts";

/** A file as the diff names it: enough to tell two of them apart and size them. */
export interface DiffFile {
  path: string;
  sha256: string;
  size: number;
}

export interface ChangedFile {
  path: string;
  before: Omit<DiffFile, "path">;
  after: Omit<DiffFile, "path">;
}

export interface ManifestDiff {
  added: DiffFile[];
  removed: DiffFile[];
  changed: ChangedFile[];
  /** Files the same in both (path and content). */
  unchanged: number;
}

export interface VersionDiff extends ManifestDiff {
  version: number;
  /** The version compared against; null when nothing is live (every file is then added). */
  against: number | null;
}

const brief = (file: ManifestFile): DiffFile => ({
  path: file.path,
  sha256: file.sha256,
  size: file.size,
});

/** The difference from `base` to `target`, each list sorted by path. */
export function diffManifests(base: ManifestFile[], target: ManifestFile[]): ManifestDiff {
  const before = new Map(base.map((file) => [file.path, file]));
  const diff: ManifestDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const file of target) {
    const old = before.get(file.path);
    before.delete(file.path);
    if (!old) diff.added.push(brief(file));
    else if (old.sha256 === file.sha256) diff.unchanged++;
    else {
      diff.changed.push({
        path: file.path,
        before: { sha256: old.sha256, size: old.size },
        after: { sha256: file.sha256, size: file.size },
      });
    }
  }
  diff.removed = [...before.values()].map(brief);
  const byPath = (a: { path: string }, b: { path: string }) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  diff.added.sort(byPath);
  diff.removed.sort(byPath);
  diff.changed.sort(byPath);
  return diff;
}

/**
 * The version most shoppers see at `now`: the live target, or under a split the arm with the
 * greatest weight (the lower number on a tie); null when nothing is live.
 */
export function mainLiveVersion(record: LiveRecord | null, now: number): number | null {
  const target = activeTarget(record, now);
  if (target.version !== null || !target.split?.length) return target.version;
  const arms = [...target.split].sort((a, b) => b.weight - a.weight || a.version - b.version);
  return arms[0].version;
}

/**
 * Version `number` of `app` against `against` (a version number, or `"live"`: the one most
 * shoppers see now). A `NotFoundError` when either version does not exist.
 */
export async function diffVersions(
  kv: Deno.Kv,
  app: App,
  number: number,
  against: number | "live",
  now: number,
): Promise<VersionDiff> {
  const version = await getVersion(kv, app, number);
  const baseNumber = against === "live"
    ? mainLiveVersion((await getLive(kv, app.id)).value, now)
    : against;
  const base = baseNumber === null ? null : await getVersion(kv, app, baseNumber);
  const [files, baseFiles] = await Promise.all([
    readManifest(kv, app.id, version),
    base ? readManifest(kv, app.id, base) : Promise.resolve([]),
  ]);
  return { version: number, against: baseNumber, ...diffManifests(baseFiles, files) };
}
