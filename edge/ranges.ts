/**
 * `Range` requests (RFC 9110 §14): one byte range is answered 206 with `Content-Range`; a range
 * that starts past the end is 416 with a `Content-Range` giving only the length; several ranges, another unit or a malformed
 * header are answered 200 with the whole file, which the RFC allows (a server may ignore Range).
 */
type RangeResult =
  | { kind: "whole" }
  | { kind: "part"; start: number; end: number }
  | { kind: "unsatisfiable" };

const WHOLE: RangeResult = { kind: "whole" };
const UNSATISFIABLE: RangeResult = { kind: "unsatisfiable" };
const SPEC = /^bytes=(\d*)-(\d*)$/;

/** The part of a `size`-byte representation that `header` asks for; `end` is inclusive. */
export function parseRange(header: string, size: number): RangeResult {
  const match = SPEC.exec(header.replace(/\s+/g, ""));
  if (!match) return WHOLE; // multiple ranges, other units, garbage
  const [, first, last] = match;
  if (first === "" && last === "") return WHOLE;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) return UNSATISFIABLE;
    return size === 0
      ? UNSATISFIABLE
      : { kind: "part", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? Infinity : Number(last);
  if (end < start) return WHOLE; // invalid range-spec: the field is ignored (§14.1.1)
  if (start >= size) return UNSATISFIABLE;
  return { kind: "part", start, end: Math.min(end, size - 1) };
}

/**
 * `If-Range` (RFC 9110 §13.1.5): the range applies only if the validator still names the
 * representation — an entity tag compared strongly, or exactly its `Last-Modified` date.
 */
export function ifRangeHolds(header: string, etag: string, lastModified: string): boolean {
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith("W/")) return value === etag;
  return value === lastModified;
}
