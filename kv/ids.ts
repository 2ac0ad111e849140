import { monotonicFactory } from "ulid";

const ulid = monotonicFactory();

/** A new id that sorts by creation time (ULID), so "newest first" is a reverse key list. */
export function newId(): string {
  return ulid().toLowerCase();
}

/** The current time as an RFC 3339 string in UTC, as the API prints every time. */
export function nowIso(now = Date.now()): string {
  return new Date(now).toISOString();
}
