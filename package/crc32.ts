/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as zip stores it for every entry
 * (APPNOTE.TXT 4.4.7). fflate computes it internally but does not export it.
 *
 * Slicing-by-4: four tables let the loop fold a 32-bit word per step, about three times the
 * speed of the byte-at-a-time loop, which matters for a 200 MiB archive.
 */
const TABLES = buildTables();

function buildTables(): Uint32Array[] {
  const first = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    first[n] = c >>> 0;
  }
  const tables = [first];
  for (let t = 1; t < 4; t++) {
    const previous = tables[t - 1];
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) table[n] = (previous[n] >>> 8) ^ first[previous[n] & 0xff];
    tables.push(table);
  }
  return tables;
}

/** A running CRC-32: feed it chunks in order, then read `value`. */
export class Crc32 {
  #crc = 0xffffffff;

  update(data: Uint8Array): this {
    const [t0, t1, t2, t3] = TABLES;
    let crc = this.#crc;
    let i = 0;
    const end4 = data.length - (data.length % 4);
    for (; i < end4; i += 4) {
      crc ^= data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
      crc = t3[crc & 0xff] ^ t2[(crc >>> 8) & 0xff] ^ t1[(crc >>> 16) & 0xff] ^ t0[crc >>> 24];
    }
    for (; i < data.length; i++) crc = t0[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
    this.#crc = crc;
    return this;
  }

  get value(): number {
    return (this.#crc ^ 0xffffffff) >>> 0;
  }
}

/** CRC-32 of one buffer. */
export function crc32(data: Uint8Array): number {
  return new Crc32().update(data).value;
}
