/**
 * A few slots for costly work, shared between owners: at most `total` at once, and at most
 * `perOwner` of them held by any one owner, so one owner's work — or an attacker's with one
 * owner's credentials — can never take them all. A refused owner is told which limit it met.
 */
export type SlotRefusal = "owner_busy" | "all_busy";

export class FairSlots {
  #held = new Map<string, number>();
  #inUse = 0;

  constructor(readonly total: number, readonly perOwner: number) {}

  /**
   * Takes a slot for `owner`: a function that gives it back (once; later calls do nothing),
   * or why there is none.
   */
  take(owner: string): (() => void) | SlotRefusal {
    const mine = this.#held.get(owner) ?? 0;
    if (mine >= this.perOwner) return "owner_busy";
    if (this.#inUse >= this.total) return "all_busy";
    this.#held.set(owner, mine + 1);
    this.#inUse++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.#inUse--;
      const left = this.#held.get(owner)! - 1;
      if (left === 0) this.#held.delete(owner);
      else this.#held.set(owner, left);
    };
  }

  /** Slots in use, by everyone. */
  get inUse(): number {
    return this.#inUse;
  }
}
