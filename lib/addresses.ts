/**
 * A set of IP addresses written as single addresses and CIDR ranges (`10.0.0.7`, `10.0.0.0/8`,
 * `fd00::/8`), to tell whether a TCP peer is a proxy Switchyard trusts. IPv4 is held in its
 * IPv4-mapped IPv6 form (RFC 4291 §2.5.5.2), so `127.0.0.1` also matches the `::ffff:127.0.0.1`
 * a dual-stack listener reports for the same peer.
 */

interface Range {
  /** The network, 16 bytes. */
  bytes: Uint8Array;
  /** Leading bits of `bytes` an address must share. */
  bits: number;
}

export class AddressRanges {
  #ranges: Range[];
  // A proxy in front is one or a few addresses: the last peer's answer spares the parse.
  #lastPeer = "";
  #lastAnswer = false;

  private constructor(ranges: Range[]) {
    this.#ranges = ranges;
  }

  /**
   * Parses a list separated by commas or spaces. Throws, naming the entry (and `variable`, the
   * setting it came from), when one is neither an address nor a CIDR range.
   */
  static parse(list: string, variable?: string): AddressRanges {
    const entries = list.split(/[\s,]+/).filter((entry) => entry !== "");
    const refuse = (entry: string) =>
      new Error(
        variable === undefined
          ? `Not an IP address or CIDR range: "${entry}"`
          : `"${variable}" must list IP addresses or CIDR ranges: "${entry}"`,
      );
    if (entries.length === 0) throw refuse(list);
    const ranges: Range[] = [];
    for (const entry of entries) {
      const range = parseRange(entry);
      if (range === null) throw refuse(entry);
      ranges.push(range);
    }
    return new AddressRanges(ranges);
  }

  /** Whether `address` (as `Deno.NetAddr.hostname` gives it) is in one of the ranges. */
  has(address: string): boolean {
    if (address === this.#lastPeer) return this.#lastAnswer;
    const bytes = parseAddress(address);
    const answer = bytes !== null && this.#ranges.some((range) => inRange(bytes, range));
    this.#lastPeer = address;
    this.#lastAnswer = answer;
    return answer;
  }
}

function parseRange(entry: string): Range | null {
  const slash = entry.indexOf("/");
  const bytes = parseAddress(slash === -1 ? entry : entry.slice(0, slash));
  if (bytes === null) return null;
  const width = isMapped(bytes) && !entry.includes(":") ? 32 : 128;
  const prefix = slash === -1 ? width : entry.slice(slash + 1);
  const bits = Number(prefix);
  if (!/^\d{1,3}$/.test(String(prefix)) || bits > width) return null;
  return { bytes, bits: bits + 128 - width };
}

function inRange(address: Uint8Array, range: Range): boolean {
  const whole = range.bits >> 3;
  for (let i = 0; i < whole; i++) {
    if (address[i] !== range.bytes[i]) return false;
  }
  const rest = range.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (address[whole] & mask) === (range.bytes[whole] & mask);
}

function isMapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** 16 bytes of an IPv4 or IPv6 address (brackets and a zone id allowed), or null. */
export function parseAddress(text: string): Uint8Array | null {
  let address = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const zone = address.indexOf("%");
  if (zone !== -1) address = address.slice(0, zone);
  if (!address.includes(":")) {
    const v4 = parseIPv4(address);
    if (v4 === null) return null;
    const bytes = new Uint8Array(16);
    bytes[10] = bytes[11] = 0xff;
    bytes.set(v4, 12);
    return bytes;
  }
  return parseIPv6(address);
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIPv4(text: string): number[] | null {
  const match = IPV4.exec(text);
  if (match === null) return null;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets : null;
}

/** RFC 4291 §2.2 text forms: eight groups, one `::` for a run of zeros, a dotted IPv4 tail. */
function parseIPv6(text: string): Uint8Array | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (head === null || tail === null) return null;
  const count = head.length + tail.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return null;
  const groups = [...head, ...new Array(8 - count).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

/** The 16-bit groups of one side of `::`; a dotted IPv4 address may end it. */
function groupsOf(text: string): number[] | null {
  if (text === "") return [];
  const parts = text.split(":");
  const groups: number[] = [];
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes(".")) {
      const v4 = parseIPv4(part);
      if (v4 === null) return null;
      groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return null;
    }
  }
  return groups;
}
