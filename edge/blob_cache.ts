/**
 * SHA-256 → bytes within a byte budget (`SWITCHYARD_EDGE_CACHE_MB`). A resident blob is held as
 * a body-only `Response`: every answer is a `clone()` of a per-file template made from it, and
 * a clone shares the body instead of copying it (measured on Deno 2.9: `new Response(bytes)`
 * copies the bytes, `clone()` of a static body does not, and is ~50× cheaper than building a
 * response with its headers). So a hit allocates a response and nothing else.
 *
 * Eviction is CLOCK (second chance), an approximation of LRU that costs a hit one boolean
 * write instead of re-ordering a map.
 */
import { release } from "../lib/release.ts";

/** Something built from a resident blob that must be dropped with it (a response template). */
export interface BlobUser {
  template: Response | null;
}

/** Templates kept per blob (one per version that answered with it). */
const MAX_USERS = 8;
/** Slots remembered before idle ones are forgotten. */
const MAX_SLOTS = 200_000;

export class BlobSlot {
  /** The body holder while resident; null once evicted (or before the first load). */
  base: Response | null = null;
  /** Requested since the clock hand last passed. */
  used = false;
  loading: Promise<Response | null> | null = null;
  users: BlobUser[] = [];

  constructor(readonly accountId: string, readonly sha256: string, readonly size: number) {}
}

export class BlobCache {
  /** Every blob a loaded version names, resident or not (a slot is a few dozen bytes). */
  #slots = new Map<string, BlobSlot>();
  /** Resident slots in the order the clock hand visits them. */
  #resident = new Set<BlobSlot>();
  #bytes = 0;

  constructor(readonly budget: number) {}

  get bytes(): number {
    return this.#bytes;
  }

  /** The one slot of a blob (blobs are per account, so the cache is too). */
  slot(accountId: string, sha256: string, size: number): BlobSlot {
    const key = `${accountId}/${sha256}`;
    let slot = this.#slots.get(key);
    if (!slot) {
      if (this.#slots.size >= MAX_SLOTS) this.#forgetIdleSlots();
      slot = new BlobSlot(accountId, sha256, size);
      this.#slots.set(key, slot);
    }
    return slot;
  }

  /**
   * Bounds the registry over many deploys: slots neither resident nor loading are forgotten
   * (a file table still holding one keeps working; its blob may then be cached twice).
   */
  #forgetIdleSlots(): void {
    for (const [key, slot] of this.#slots) {
      if (slot.base === null && slot.loading === null) this.#slots.delete(key);
    }
  }

  /** A file bigger than a quarter of the budget would evict most of the cache for one file. */
  cacheable(slot: BlobSlot): boolean {
    return slot.size <= this.budget / 4;
  }

  /**
   * Makes `slot` resident, reading it with `read` once however many requests wait, and
   * resolves with its body holder (null: no such blob). Every waiter gets the body even when a
   * later load has evicted the slot by the time it runs: an evicted body is freed only after a
   * timer (see `#evict`), and the waiters' continuations all run before it.
   */
  load(slot: BlobSlot, read: () => Promise<Uint8Array | null>): Promise<Response | null> {
    if (slot.base) return Promise.resolve(slot.base);
    slot.loading ??= read().then((bytes) => bytes && this.#admit(slot, bytes)).finally(() => {
      slot.loading = null;
    });
    return slot.loading;
  }

  /**
   * Registers a template built from a resident slot, so eviction drops it too. A file that
   * stays the same over many deploys is one blob with a template per version: only the latest
   * few keep theirs (an older version's is made again if it is still asked for).
   */
  use(slot: BlobSlot, user: BlobUser): void {
    if (slot.users.length >= MAX_USERS) slot.users.shift()!.template = null;
    slot.users.push(user);
  }

  #admit(slot: BlobSlot, bytes: Uint8Array): Response {
    // The body is a copy of `bytes` (the Fetch standard's body extraction copies): the read
    // buffer is nobody's now.
    const base = new Response(bytes as Uint8Array<ArrayBuffer>);
    release(bytes);
    slot.base = base;
    slot.used = true;
    this.#resident.add(slot);
    this.#bytes += slot.size;
    while (this.#bytes > this.budget) {
      const oldest: BlobSlot = this.#resident.values().next().value!;
      this.#resident.delete(oldest);
      if (oldest.used) {
        oldest.used = false;
        this.#resident.add(oldest);
        continue;
      }
      this.#evict(oldest);
    }
    return base;
  }

  #evict(slot: BlobSlot): void {
    const base = slot.base!;
    slot.base = null;
    for (const user of slot.users) user.template = null;
    slot.users = [];
    this.#bytes -= slot.size;
    // Without this, evicted bodies pile up until V8 collects (tens of MB under a scan of big
    // files). The body is shared by every clone made from it, so it is freed only once none
    // can still be waiting to be sent: clones are made synchronously from a resident slot and
    // handed to Deno.serve — which takes the bytes as it starts the response — within the
    // same macrotask (at most through promise reactions), and none is made after eviction.
    // A timer runs after every pending reaction, so each such clone has been taken by then.
    setTimeout(() => void base.bytes().then(release, () => {}), 0);
  }
}
