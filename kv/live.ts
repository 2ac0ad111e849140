/**
 * Going live: promote and rollback, each one checked atomic commit on the live record that also
 * appends the release to history. A caller that names the version it `expect`s to be live gets
 * a `ConflictError` when that is stale; a caller that does not is retried over concurrent
 * changes.
 */
import { ConflictError, NotFoundError, ValidationError } from "../lib/errors.ts";
import { newId, nowIso } from "./ids.ts";
import { liveKey, releaseKey, releasesPrefix, versionKey } from "./keys.ts";
import { listPage, type Page } from "./page.ts";
import type { App } from "./apps.ts";
import {
  activeTarget,
  HISTORY_DEPTH,
  type LiveRecord,
  type ScheduledChange,
  settleSchedule,
  type SplitArm,
} from "./live_record.ts";
import { requireReady, type Version } from "./versions.ts";
import { notifyChange } from "./changes.ts";
import {
  type AuditAction,
  type AuditBy,
  auditEntry,
  type AuditSummary,
  withAudit,
} from "./audit.ts";

export type ReleaseKind = "promote" | "rollback" | "split" | "schedule";

export interface Release {
  seq: number;
  version: number | null;
  split: SplitArm[] | null;
  previous: number | null;
  at: string;
  by: string;
  kind: ReleaseKind;
  schedule_id?: string;
  scheduled_at?: string;
  cancelled?: boolean;
}

/** Pending scheduled changes an app may hold at once. */
export const MAX_PENDING_SCHEDULE = 50;

/** Who changes what is live, for the audit log (absent: the platform itself, as the demo seed). */
export interface LiveAudit {
  audit?: AuditBy;
}

const ACTION_OF: Record<ReleaseKind, AuditAction> = {
  promote: "live.promote",
  rollback: "live.rollback",
  split: "live.split",
  schedule: "schedule.create",
};

/** The audit log's words for a release: its kind as an action, and the versions it moved. */
function releaseAudit(release: Release): { action: AuditAction; summary: AuditSummary } {
  const summary: AuditSummary = { version: release.version, previous: release.previous };
  if (release.split) {
    summary.split = release.split.map((arm) => `${arm.version}:${arm.weight}`).join(",");
  }
  if (release.schedule_id) summary.schedule_id = release.schedule_id;
  if (release.scheduled_at) summary.scheduled_at = release.scheduled_at;
  const action = release.cancelled ? "schedule.cancel" : ACTION_OF[release.kind];
  return { action, summary };
}

/** `undefined`: no check; `null`: the caller believes nothing is live. */
export type Expect = number | null | undefined;

export async function getLive(
  kv: Deno.Kv,
  appId: string,
  consistency: Deno.KvConsistencyLevel = "strong",
): Promise<Deno.KvEntryMaybe<LiveRecord>> {
  return await kv.get<LiveRecord>(liveKey(appId), { consistency });
}

function emptyRecord(): LiveRecord {
  return {
    version: null,
    split: null,
    schedule: [],
    history: [],
    updated_at: nowIso(),
    updated_by: "",
    seq: 0,
  };
}

function checkExpect(current: { version: number | null } | null, expect: Expect): void {
  if (expect === undefined) return;
  const live = current?.version ?? null;
  if (live !== expect) {
    throw new ConflictError(
      `Live version is ${live ?? "none"}, not ${expect ?? "none"}: reload and try again`,
      "live_changed",
      { live },
    );
  }
}

/**
 * Applies `change` to the live record in one commit that checks the record's versionstamp and
 * every version it names, and appends a release. Retries when it lost a race and `expect` still
 * holds; throws a `ConflictError` when it does not.
 */
async function changeLive(
  kv: Deno.Kv,
  app: App,
  expect: Expect,
  change: (record: LiveRecord) => {
    next: LiveRecord;
    release: Omit<Release, "seq" | "at" | "by">;
    versions: number[];
  },
  who: { by: string; audit?: AuditBy },
): Promise<Release> {
  const { by, audit } = who;
  for (;;) {
    const entry = await getLive(kv, app.id);
    checkExpect(entry.value ? activeTarget(entry.value) : null, expect);
    const current = settleSchedule(structuredClone(entry.value ?? emptyRecord()));
    const { next, release, versions } = change(current);
    const versionEntries = await kv.getMany<Version[]>(versions.map((n) => versionKey(app.id, n)));
    const op = kv.atomic().check(entry);
    for (const [i, versionEntry] of versionEntries.entries()) {
      if (!versionEntry.value) {
        throw new NotFoundError(`No such version of "${app.slug}": ${versions[i]}`);
      }
      requireReady(versionEntry.value);
      op.check(versionEntry);
    }
    const at = nowIso();
    const seq = next.seq + 1;
    const record: LiveRecord = { ...next, seq, updated_at: at, updated_by: by };
    const full: Release = { ...release, seq, at, by };
    op.set(liveKey(app.id), record).set(releaseKey(app.id, seq), full);
    if (audit) {
      const { action, summary } = releaseAudit(full);
      const target = full.schedule_id
        ? { type: "schedule", id: full.schedule_id }
        : { type: "release", id: seq };
      withAudit(op, auditEntry(audit, action, { app, target, summary }));
    }
    const result = await op.commit();
    if (result.ok) {
      notifyChange(kv, { kind: "live", appId: app.id });
      return full;
    }
  }
}

/** Sends live traffic to `version` (replacing any split). */
export function promote(
  kv: Deno.Kv,
  app: App,
  input: { version: number; expect?: Expect; by: string } & LiveAudit,
): Promise<Release> {
  return changeLive(kv, app, input.expect, (record) => {
    const previous = record.version;
    if (previous !== null && previous !== input.version) {
      record.history = [...record.history, previous].slice(-HISTORY_DEPTH);
    }
    return {
      next: { ...record, version: input.version, split: null },
      release: { version: input.version, split: null, previous, kind: "promote" },
      versions: [input.version],
    };
  }, input);
}

/** Splits live traffic between ready versions (weights sum to 100, checked by the schema). */
export function setSplit(
  kv: Deno.Kv,
  app: App,
  input: { split: SplitArm[]; expect?: Expect; by: string } & LiveAudit,
): Promise<Release> {
  return changeLive(kv, app, input.expect, (record) => {
    const heaviest = [...input.split].sort((a, b) => b.weight - a.weight)[0].version;
    const previous = record.version;
    if (previous !== null && previous !== heaviest) {
      record.history = [...record.history, previous].slice(-HISTORY_DEPTH);
    }
    return {
      // `version` stays meaningful under a split: the heaviest arm, what rollback leaves.
      next: { ...record, version: heaviest, split: input.split },
      release: { version: heaviest, split: input.split, previous, kind: "split" },
      versions: input.split.map((arm) => arm.version),
    };
  }, input);
}

/**
 * Goes back to the version live before the current one. Versions deleted since are skipped;
 * a `ConflictError` when nothing earlier remains.
 */
export async function rollback(
  kv: Deno.Kv,
  app: App,
  by: string,
  audit?: AuditBy,
): Promise<Release> {
  const entry = await getLive(kv, app.id);
  // Scheduled changes already due count as live: rolling back undoes them too.
  const current = entry.value ? settleSchedule(entry.value) : null;
  const history = [...(current?.history ?? [])];
  while (history.length) {
    const candidate = history.at(-1)!;
    const version = await kv.get<Version>(versionKey(app.id, candidate));
    if (version.value?.status === "ready") break;
    history.pop();
  }
  if (!history.length) {
    throw new ConflictError(`Nothing to roll back to: "${app.slug}" has no earlier live version`);
  }
  return await changeLive(kv, app, current?.version ?? null, (record) => {
    const previous = record.version;
    const target = history.pop()!;
    return {
      next: { ...record, version: target, split: null, history },
      release: { version: target, split: null, previous, kind: "rollback" },
      versions: [target],
    };
  }, { by, audit });
}

export function listReleases(
  kv: Deno.Kv,
  app: App,
  options: { limit?: number; cursor?: string | null },
): Promise<Page<Release>> {
  return listPage<Release>(kv, releasesPrefix(app.id), options);
}

/**
 * Adds a future change of the live target. It is data in the live record, not a job: every
 * edge applies it from its own clock at `at` (DESIGN "Data model").
 */
export async function addSchedule(
  kv: Deno.Kv,
  app: App,
  input: { at: string; version?: number; split?: SplitArm[]; by: string; now?: number } & LiveAudit,
): Promise<Release> {
  if (Date.parse(input.at) <= (input.now ?? Date.now())) {
    throw new ValidationError(`Schedule time is in the past: "${input.at}"`, [
      { field: "at", message: "Must be in the future" },
    ]);
  }
  return await changeLive(kv, app, undefined, (record) => {
    // The schedule lives in the live record, which KV caps at 64 KiB.
    if (record.schedule.length >= MAX_PENDING_SCHEDULE) {
      throw new ValidationError(
        `"${app.slug}" already has ${MAX_PENDING_SCHEDULE} scheduled changes pending: cancel one first`,
        [{ field: "at", message: "Too many pending changes" }],
      );
    }
    const change: ScheduledChange = {
      id: newId(),
      at: new Date(input.at).toISOString(),
      version: input.version ?? null,
      split: input.split ?? null,
    };
    const versions = input.split ? input.split.map((arm) => arm.version) : [input.version!];
    return {
      next: { ...record, schedule: [...record.schedule, change] },
      release: {
        version: change.version,
        split: change.split,
        previous: record.version,
        kind: "schedule",
        schedule_id: change.id,
        scheduled_at: change.at,
      },
      versions,
    };
  }, input);
}

/** Removes a scheduled change that has not happened yet. */
export function removeSchedule(
  kv: Deno.Kv,
  app: App,
  id: string,
  by: string,
  now = Date.now(),
  audit?: AuditBy,
): Promise<Release> {
  return changeLive(kv, app, undefined, (record) => {
    const change = record.schedule.find((item) => item.id === id);
    if (!change || Date.parse(change.at) <= now) {
      throw new NotFoundError(`No pending scheduled change: "${id}"`);
    }
    return {
      next: { ...record, schedule: record.schedule.filter((item) => item.id !== id) },
      release: {
        version: record.version,
        split: record.split,
        previous: record.version,
        kind: "schedule",
        schedule_id: id,
        cancelled: true,
      },
      versions: [],
    };
  }, { by, audit });
}
