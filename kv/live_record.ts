/**
 * The live record of an app: the one mutable pointer (DESIGN "Data model"). Pure functions
 * over it live here so the edge and the API compute the active target the same way.
 */

export interface SplitArm {
  version: number;
  weight: number;
}

/** A future change of the live target; every edge applies it from its own clock. */
export interface ScheduledChange {
  id: string;
  at: string;
  version: number | null;
  split: SplitArm[] | null;
}

export interface LiveRecord {
  version: number | null;
  split: SplitArm[] | null;
  schedule: ScheduledChange[];
  /** Versions live before the current one, most recent last: what rollback goes back to. */
  history: number[];
  updated_at: string;
  updated_by: string;
  /** Sequence number of the latest release (the history key). */
  seq: number;
}

export interface Target {
  version: number | null;
  split: SplitArm[] | null;
}

/** How many earlier versions rollback can reach back through. */
export const HISTORY_DEPTH = 50;

/** The target in force at `now`: the latest scheduled change already due, else the record's. */
export function activeTarget(record: LiveRecord | null, now = Date.now()): Target {
  if (!record) return { version: null, split: null };
  let target: Target = { version: record.version, split: record.split };
  let latest = -Infinity;
  for (const change of record.schedule) {
    const at = Date.parse(change.at);
    if (at <= now && at > latest) {
      latest = at;
      target = { version: change.version, split: change.split };
    }
  }
  return target;
}

/**
 * Folds scheduled changes that are already due into the record itself, so later edits build on
 * what shoppers are actually seeing.
 */
export function settleSchedule(record: LiveRecord, now = Date.now()): LiveRecord {
  const due = record.schedule.filter((change) => Date.parse(change.at) <= now);
  if (!due.length) return record;
  const target = activeTarget(record, now);
  const history = target.version !== record.version && record.version !== null
    ? [...record.history, record.version].slice(-HISTORY_DEPTH)
    : record.history;
  return {
    ...record,
    version: target.version,
    split: target.split,
    history,
    schedule: record.schedule.filter((change) => Date.parse(change.at) > now),
  };
}

/** Every version the record points at now or later (such versions cannot be deleted). */
export function versionsInUse(stored: LiveRecord, now = Date.now()): Set<number> {
  // A scheduled change already due replaced what the record names: that version is free.
  const record = settleSchedule(stored, now);
  const used = new Set<number>();
  const add = (target: Target) => {
    if (target.version !== null) used.add(target.version);
    for (const arm of target.split ?? []) used.add(arm.version);
  };
  add(record);
  for (const change of record.schedule) add(change);
  return used;
}
