/**
 * Record ids and times. Ids are ULIDs (ulid/spec: 48-bit millisecond time, then 80 random bits,
 * in Crockford's base32), written lowercase, so "newest first" is a reverse key list and an id
 * says when it was made. Made here rather than by the `ulid` package: under Deno its Node build
 * loads `node:crypto`, which costs a fresh isolate ~20 ms before its first answer, and the edge
 * loads this module (docs/BENCHMARKS.md "Cold start").
 */

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";
const TIME_CHARS = 10;
const RANDOM_BITS = 80n;

let lastTime = -1;
let lastRandom = 0n;

function randomBits(): bigint {
  let value = 0n;
  for (const byte of crypto.getRandomValues(new Uint8Array(10))) {
    value = (value << 8n) | BigInt(byte);
  }
  return value;
}

/**
 * A new id that sorts by creation time. Ids made in the same millisecond (or while the clock
 * steps back) keep the last time and count the random part up by one, so they still sort in
 * the order they were made (the spec's monotonic mode).
 */
export function newId(now = Date.now()): string {
  if (now > lastTime) {
    lastTime = now;
    lastRandom = randomBits();
  } else {
    lastRandom += 1n;
    if (lastRandom >> RANDOM_BITS) throw new Error("Id space of this millisecond is exhausted");
  }
  return encodeId(lastTime, lastRandom);
}

/** The id of a time (ms) and an 80-bit random part. */
export function encodeId(time: number, random: bigint): string {
  let out = "";
  for (let i = TIME_CHARS - 1; i >= 0; i--) out += CROCKFORD[Math.floor(time / 32 ** i) % 32];
  for (let shift = RANDOM_BITS - 5n; shift >= 0n; shift -= 5n) {
    out += CROCKFORD[Number((random >> shift) & 31n)];
  }
  return out;
}

/** The time (ms since the epoch) an id was made; NaN for a string that is not an id. */
export function idTime(id: string): number {
  if (id.length !== 26) return NaN;
  let time = 0;
  for (const char of id.slice(0, TIME_CHARS).toLowerCase()) {
    const digit = CROCKFORD.indexOf(char);
    if (digit === -1) return NaN;
    time = time * 32 + digit;
  }
  return time;
}

/** The current time as an RFC 3339 string in UTC, as the API prints every time. */
export function nowIso(now = Date.now()): string {
  return new Date(now).toISOString();
}
