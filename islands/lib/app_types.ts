/** The app page's data, in the API's JSON shapes (so a refetch replaces it as it is). */

export interface VersionView {
  number: number;
  label: string | null;
  message: string | null;
  status: "uploading" | "ready";
  file_count: number;
  bytes: number;
  created_at: string;
  created_by: string;
}

export interface Arm {
  version: number;
  weight: number;
}

export interface ScheduledView {
  id: string;
  at: string;
  version: number | null;
  split: Arm[] | null;
}

export interface LiveView {
  version: number | null;
  split: Arm[] | null;
  schedule: ScheduledView[];
  updated_at: string | null;
  updated_by: string | null;
}

export interface ReleaseView {
  version: number | null;
  split: Arm[] | null;
  previous: number | null;
  at: string;
  by: string;
  kind: "promote" | "rollback" | "split" | "schedule";
}

export interface AppData {
  versions: VersionView[];
  live: LiveView;
  releases: ReleaseView[];
}

/** How many versions and releases the page shows (the newest). */
export const VERSIONS_SHOWN = 50;
export const RELEASES_SHOWN = 20;

export { formatBytes } from "../../lib/format.ts";

export function versionName(version: VersionView | undefined, number: number): string {
  return version?.label ?? version?.message ?? `Version ${number}`;
}

export function describeTarget(version: number | null, split: Arm[] | null): string {
  if (split) return split.map((arm) => `v${arm.version} ${arm.weight}%`).join(" · ");
  return version === null ? "nothing" : `v${version}`;
}
