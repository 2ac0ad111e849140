/**
 * When a traffic split was in force, from the release history (pure). A split's arms are compared
 * only over the days it ran: before and after it, one version took all the traffic and its counts
 * say nothing about the split.
 */
import type { Release } from "./live.ts";
import type { SplitArm, Target } from "./live_record.ts";

/** A release and the time it changed what shoppers get. */
export interface EffectiveRelease {
  release: Release;
  /** `at`, or `scheduled_at` for a scheduled change; ms since the epoch. */
  effective: number;
}

/**
 * The releases that changed the live target, oldest first, each at the time it took effect:
 * a scheduled change at its `scheduled_at` once that has come, a cancelled one never (nor the
 * release recording its cancellation).
 */
export function effectiveReleases(releases: Release[], now: number): EffectiveRelease[] {
  const cancelled = new Set(
    releases.filter((r) => r.cancelled && r.schedule_id).map((r) => r.schedule_id),
  );
  const changes: EffectiveRelease[] = [];
  for (const release of releases) {
    if (release.cancelled) continue;
    if (release.kind === "schedule") {
      if (cancelled.has(release.schedule_id) || !release.scheduled_at) continue;
      const effective = Date.parse(release.scheduled_at);
      if (effective <= now) changes.push({ release, effective });
    } else {
      changes.push({ release, effective: Date.parse(release.at) });
    }
  }
  return changes.sort((a, b) => a.effective - b.effective || a.release.seq - b.release.seq);
}

export interface SplitPeriod {
  /** The arms as last set (weights may change during a period; the versions do not). */
  arms: SplitArm[];
  start: number;
  /** null: still in force. */
  end: number | null;
}

const armSet = (split: SplitArm[]) =>
  split.map((arm) => arm.version).sort((a, b) => a - b).join(",");

/**
 * The latest period of a split (the same set of versions, whatever the weights) that overlaps
 * [rangeStart, rangeEnd). A split in force with no release to date it (history older than what
 * was read) starts at the beginning of time. Null when no split overlaps the range.
 */
export function splitPeriod(
  releases: Release[],
  current: Target,
  rangeStart: number,
  rangeEnd: number,
  now: number,
): SplitPeriod | null {
  const periods: SplitPeriod[] = [];
  let open: SplitPeriod | null = null;
  for (const { release, effective } of effectiveReleases(releases, now)) {
    const split = release.split;
    if (open && (!split || armSet(split) !== armSet(open.arms))) {
      open.end = effective;
      open = null;
    }
    if (split && open) open.arms = split;
    else if (split) periods.push(open = { arms: split, start: effective, end: null });
  }
  if (current.split && (!open || armSet(open.arms) !== armSet(current.split))) {
    periods.push({ arms: current.split, start: -Infinity, end: null });
  }
  const overlapping = periods.filter((period) =>
    period.start < rangeEnd && (period.end ?? Infinity) > rangeStart
  );
  return overlapping.at(-1) ?? null;
}
