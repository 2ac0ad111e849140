/**
 * `Accept-Encoding` negotiation (RFC 9110 §12.5.3) between the stored variants of a file:
 * brotli, gzip and the file itself. A browser sends the same few header values over and over,
 * so each value is parsed once and remembered, by each edge for itself.
 */
export type Encoding = "br" | "gzip" | "identity";

/** Our order among equal q-values: smallest first. */
const OURS: Encoding[] = ["br", "gzip", "identity"];
/** Without the header, any coding is acceptable by the letter of RFC 9110; in practice the
 * clients that omit it (curl, scripts) cannot decode brotli: only the file itself is sent. */
const NO_HEADER: Encoding[] = ["identity"];
const MEMO_LIMIT = 512;

/** Parsed `Accept-Encoding` values, bounded: a flood of odd values only empties it. */
export class Encodings {
  #memo = new Map<string, Encoding[]>();

  /**
   * The codings a request accepts, most preferred first (q-value, then smaller first). Empty
   * when not even the unencoded file is acceptable (`identity;q=0` or `*;q=0` alone).
   */
  accepted(header: string | null): Encoding[] {
    if (header === null) return NO_HEADER;
    let order = this.#memo.get(header);
    if (order === undefined) {
      order = parse(header);
      if (this.#memo.size >= MEMO_LIMIT) this.#memo.clear();
      this.#memo.set(header, order);
    }
    return order;
  }
}

function parse(header: string): Encoding[] {
  const q: Record<string, number> = {};
  let any: number | undefined;
  for (const part of header.split(",")) {
    const [name, ...params] = part.split(";");
    const coding = name.trim().toLowerCase();
    if (!coding) continue;
    let weight = 1;
    for (const param of params) {
      const [key, value] = param.split("=");
      if (key.trim().toLowerCase() === "q") {
        const parsed = Number(value?.trim());
        weight = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0;
      }
    }
    // RFC 9110 §8.4.1.3: "x-gzip" is an alias of gzip.
    const key = coding === "x-gzip" ? "gzip" : coding;
    if (key === "*") any = weight;
    else q[key] = Math.max(q[key] ?? 0, weight);
  }
  const weightOf = (coding: Encoding) => q[coding] ?? any ?? (coding === "identity" ? 0.001 : 0); // identity is acceptable unless excluded
  return OURS.filter((coding) => weightOf(coding) > 0)
    .sort((a, b) => weightOf(b) - weightOf(a) || OURS.indexOf(a) - OURS.indexOf(b));
}
