/**
 * What one client's beacons may count, so a script run in a browser (or a replayed request)
 * cannot buy numbers: some events a minute, and a bounded amount of reported revenue a day. A
 * client is an address (`forwarded.ts` clientAddress): shoppers behind one NAT share it, so the
 * allowances leave room for a household or an office.
 * Per process and in memory, as the counts themselves are (an edge per region sees its own
 * visitors): a limit only has to keep the figures honest, not be exact across regions.
 *
 * Reported conversions are what a page says happened; the store's own orders (the shopper API)
 * are the figures that count as sales, and the stats keep the two apart.
 */

/** Beacons one address may send a minute: a busy single-page app sends a few per shopper. */
export const EVENTS_PER_MINUTE = 120;
/** The largest value one reported conversion may carry, in minor units (1,000,000.00). */
export const MAX_CONVERSION_VALUE = 100_000_000;
/** Reported conversions one address may count a day; later ones are answered, not counted. */
export const CONVERSIONS_PER_DAY = 50;
/** Visitors remembered; past this the memory starts over (a flood of ids only empties it). */
const MAX_VISITORS = 20_000;

interface Allowance {
  minute: number;
  events: number;
  day: string;
  conversions: number;
}

export class BeaconLimits {
  #visitors = new Map<string, Allowance>();

  #allowance(visitor: string, minute: number, day: string): Allowance {
    let allowance = this.#visitors.get(visitor);
    if (allowance === undefined) {
      if (this.#visitors.size >= MAX_VISITORS) this.#visitors.clear();
      allowance = { minute, events: 0, day, conversions: 0 };
      this.#visitors.set(visitor, allowance);
    }
    if (allowance.minute !== minute) {
      allowance.minute = minute;
      allowance.events = 0;
    }
    if (allowance.day !== day) {
      allowance.day = day;
      allowance.conversions = 0;
    }
    return allowance;
  }

  /**
   * Takes one event of `visitor`'s allowance at `now`; false when the minute's is spent (the
   * answer is then 429, with the seconds to the next minute).
   */
  takeEvent(visitor: string, now: number, day: string): boolean {
    const allowance = this.#allowance(visitor, Math.floor(now / 60_000), day);
    return ++allowance.events <= EVENTS_PER_MINUTE;
  }

  /** Whether a reported conversion of `visitor` still counts today (and takes it if so). */
  takeConversion(visitor: string, now: number, day: string): boolean {
    const allowance = this.#allowance(visitor, Math.floor(now / 60_000), day);
    return ++allowance.conversions <= CONVERSIONS_PER_DAY;
  }
}
