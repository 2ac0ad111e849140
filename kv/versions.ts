/**
 * Versions: immutable once `ready`. A version is numbered (1, 2, 3… per app) only when it is
 * recorded, so a refused archive never uses up a number; it becomes `ready` in one commit after
 * every blob it names is verified present.
 */
import { ConflictError, NotFoundError, ValidationError } from "../lib/errors.ts";
import { nowIso } from "./ids.ts";
import { linksPrefix, liveKey, versionCounterKey, versionKey, versionsPrefix } from "./keys.ts";
import type { TestLink } from "./link_record.ts";
import { type ManifestRef } from "./manifests.ts";
import { getManyBatched, listPage, type Page } from "./page.ts";
import type { App } from "./apps.ts";
import { type LiveRecord, versionsInUse } from "./live_record.ts";
import { notifyChange } from "./changes.ts";
import type { PackageConfig } from "../package/package_config.ts";
import { checkGuard, sweepGuard } from "./sweep_guard.ts";
import { type AuditBy, audited } from "./audit.ts";

export type VersionStatus = "uploading" | "ready";

export interface Version extends ManifestRef {
  app_id: string;
  number: number;
  label: string | null;
  message: string | null;
  status: VersionStatus;
  file_count: number;
  bytes: number;
  created_at: string;
  created_by: string;
  /** Read from the package at install (settings schemas); set once the version is ready. */
  config: PackageConfig | null;
}

export interface VersionInput {
  label?: string | null;
  message?: string | null;
  createdBy: string;
  /** Who records the version, for the audit log (absent: the platform itself). */
  audit?: AuditBy;
}

/** Records a version under the next free number (a checked counter: concurrent creates queue). */
export async function recordVersion(
  kv: Deno.Kv,
  app: App,
  input: VersionInput & {
    status: VersionStatus;
    fileCount: number;
    bytes: number;
    config?: PackageConfig;
  },
  manifest: ManifestRef,
  verify?: () => Promise<void>,
): Promise<Version> {
  for (;;) {
    // A ready version must not race a garbage sweep: see kv/sweep_guard.ts.
    const guard = verify ? await sweepGuard(kv) : null;
    await verify?.();
    const counter = await kv.get<number>(versionCounterKey(app.id));
    const number = (counter.value ?? 0) + 1;
    const version: Version = {
      app_id: app.id,
      number,
      label: input.label ?? null,
      message: input.message ?? null,
      status: input.status,
      file_count: input.fileCount,
      bytes: input.bytes,
      created_at: nowIso(),
      created_by: input.createdBy,
      config: input.config ?? null,
      ...manifest,
    };
    const op = kv.atomic()
      .check(counter)
      .check({ key: versionKey(app.id, number), versionstamp: null })
      .set(versionCounterKey(app.id), number)
      .set(versionKey(app.id, number), version);
    audited(op, input.audit, "version.create", {
      app,
      target: { type: "version", id: number },
      summary: { version: number, status: version.status, label: version.label },
    });
    const result = await (guard ? checkGuard(op, guard) : op).commit();
    if (result.ok) return version;
  }
}

export async function getVersion(kv: Deno.Kv, app: App, number: number): Promise<Version> {
  const entry = await kv.get<Version>(versionKey(app.id, number));
  if (!entry.value) throw new NotFoundError(`No such version of "${app.slug}": ${number}`);
  return entry.value;
}

/**
 * Which of the versions named still have a record, in the order given: for a cache that must
 * learn of deletions another process made (its change notice never reaches this one).
 */
export async function versionsPresent(
  kv: Deno.Kv,
  versions: { appId: string; version: number }[],
): Promise<boolean[]> {
  const keys = versions.map(({ appId, version }) => versionKey(appId, version));
  return (await getManyBatched(kv, keys)).map((entry) => entry.value !== null);
}

export function listVersions(
  kv: Deno.Kv,
  app: App,
  options: { limit?: number; cursor?: string | null },
): Promise<Page<Version>> {
  return listPage<Version>(kv, versionsPrefix(app.id), options);
}

/**
 * Marks an `uploading` version `ready`, checking that nobody changed it since it was read;
 * `manifest` replaces its manifest (the one finalize wrote with the precompressed variants).
 */
export async function markReady(
  kv: Deno.Kv,
  app: App,
  number: number,
  config: PackageConfig,
  manifest: ManifestRef | undefined,
  verify: () => Promise<void>,
  audit?: AuditBy,
): Promise<Version> {
  for (;;) {
    // A ready version must not race a garbage sweep: see kv/sweep_guard.ts.
    const guard = await sweepGuard(kv);
    await verify();
    const entry = await kv.get<Version>(versionKey(app.id, number));
    if (!entry.value) throw new NotFoundError(`No such version of "${app.slug}": ${number}`);
    if (entry.value.status === "ready") return entry.value;
    const ready: Version = { ...entry.value, ...manifest, status: "ready", config };
    const op = kv.atomic().check(entry).set(versionKey(app.id, number), ready);
    const target = { type: "version", id: number };
    audited(op, audit, "version.ready", { app, target, summary: { version: number } });
    if ((await checkGuard(op, guard).commit()).ok) return ready;
    const now = await kv.get<Version>(versionKey(app.id, number));
    if (now.versionstamp !== entry.versionstamp) {
      throw new ConflictError(`Version ${number} changed while finalizing; try again`);
    }
  }
}

/**
 * Deletes a version; a `ConflictError` while it is live, in a split or scheduled (checked in the
 * same commit as the delete).
 */
export async function deleteVersion(
  kv: Deno.Kv,
  app: App,
  number: number,
  audit?: AuditBy,
): Promise<void> {
  const [live, version] = await kv.getMany<[LiveRecord, Version]>([
    liveKey(app.id),
    versionKey(app.id, number),
  ]);
  if (!version.value) throw new NotFoundError(`No such version of "${app.slug}": ${number}`);
  if (live.value && versionsInUse(live.value).has(number)) {
    throw new ConflictError(
      `Version ${number} is live, in a split or scheduled: promote another version first`,
      "version_in_use",
    );
  }
  // The entry goes with the delete; revoking the version's links after it is its consequence.
  const op = kv.atomic().check(live).check(version).delete(versionKey(app.id, number));
  const target = { type: "version", id: number };
  audited(op, audit, "version.delete", { app, target, summary: { version: number } });
  const result = await op.commit();
  if (!result.ok) return await deleteVersion(kv, app, number, audit);
  notifyChange(kv, { kind: "version", appId: app.id, number });
  await revokeLinksOf(kv, app, number);
}

/** Test links to a deleted version would open nothing: they are listed as revoked. */
async function revokeLinksOf(kv: Deno.Kv, app: App, number: number): Promise<void> {
  const revokedAt = nowIso();
  for await (const entry of kv.list<TestLink>({ prefix: linksPrefix(app.id) })) {
    if (entry.value.version !== number || entry.value.revoked_at) continue;
    // A lost race means someone else revoked or changed it meanwhile: nothing to do.
    await kv.atomic().check(entry).set(entry.key, { ...entry.value, revoked_at: revokedAt })
      .commit();
    notifyChange(kv, { kind: "link", appId: app.id, linkId: entry.value.id });
  }
}

/** Rejects a request naming a version that is not ready (promote, links). */
export function requireReady(version: Version): void {
  if (version.status !== "ready") {
    throw new ValidationError(
      `Version ${version.number} is not ready: finalize it first (status "${version.status}")`,
      undefined,
      "version_not_ready",
    );
  }
}
