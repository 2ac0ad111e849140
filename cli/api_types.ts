/**
 * The shapes the merchant API answers and takes, as the CLI reads them (the server's own are the
 * zod schemas of routes/api/schemas.ts; the CLI may not import them, and needs fewer fields).
 */

export interface AppInfo {
  id: string;
  slug: string;
  name: string;
  url: string;
  live: number | null;
  created_at: string;
}

export interface VersionInfo {
  number: number;
  label: string | null;
  message: string | null;
  status: "uploading" | "ready";
  file_count: number;
  bytes: number;
  created_at: string;
  created_by: string;
}

export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
}

export interface LiveChange {
  version: number | null;
  previous: number | null;
}

export interface CreatedLink {
  id: string;
  url: string;
  version: number;
  label: string;
  email: string | null;
  expires_at: string;
  invitation_sent: boolean;
}

export interface LinkInput {
  label: string;
  email?: string;
  expires_in_hours?: number;
}

export interface FileInfo extends ManifestEntry {
  content_type: string;
}

export interface TokenInfo {
  id: string;
  name: string;
  /** Absent from a server older than scopes: every token there is full. */
  scope?: string;
  created_at: string;
  /** Who made it; null for the bootstrap token, absent from a server older than members. */
  created_by?: { person_id: string; name: string | null } | null;
  expires_at?: string | null;
  last_used_at?: string | null;
}

export interface LinkInfo {
  id: string;
  version: number;
  label: string;
  email: string | null;
  expires_at: string;
  revoked_at: string | null;
  visits: number;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface StatsQuery {
  from?: string;
  to?: string;
  mode?: string;
}

export interface StatsCounts {
  visitors: number;
  page_views: number;
  carts: number;
  orders: number;
  /** Minor units (cents) of `StatsInfo.currency`. */
  revenue: number;
  conversion_rate: number | null;
  cart_conversion_rate: number | null;
}

export interface Interval {
  low: number;
  high: number;
}

export interface StatsInfo {
  from: string;
  to: string;
  mode: string;
  /** The currency `revenue` is counted in; absent from a server older than it. */
  currency?: string;
  versions: { version: number; totals: StatsCounts; days: (StatsCounts & { day: string })[] }[];
  split: {
    from: string;
    to: string;
    live: boolean;
    arms: {
      version: number;
      weight: number;
      visitors: number;
      orders: number;
      conversion_rate: number | null;
      interval: Interval | null;
    }[];
    verdict: string;
  } | null;
  releases: {
    version: number | null;
    split: { version: number; weight: number }[] | null;
    kind: string;
    by: string;
    effective_at: string;
  }[];
}
