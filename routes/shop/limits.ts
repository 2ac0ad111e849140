/**
 * What one client may make through the shopper API: tokens and carts are written to KV, and
 * anyone can ask for them, so an address gets a bounded number a minute (a household or an
 * office behind one NAT stays far below), on app hosts and on the platform host alike. A client
 * is its address (`edge/forwarded.ts` clientAddress, an IPv6 one by its /64), which the edge or
 * the platform passes in.
 *
 * Two counters: the KV-backed limit (kv/rate_limits.ts `LIMITS.shopperTokens|shopperCarts`)
 * holds across processes and Deploy regions; an in-memory one in front of it, per process, turns
 * a flood away without even a KV read. Both are on these two calls only: a storefront page, and
 * every other shopper call, reads no limit.
 */
import { addressSubject, LIMITS, type RateLimit, takeLimit } from "../../kv/rate_limits.ts";
import { RateLimitedError } from "../../lib/errors.ts";

export const TOKENS_PER_MINUTE = LIMITS.shopperTokens.max;
export const CARTS_PER_MINUTE = LIMITS.shopperCarts.max;
/** Clients remembered; past this the memory starts over (a flood of addresses only empties it). */
const MAX_CLIENTS = 20_000;

type Kind = "token" | "cart";
const LIMIT_OF: Record<Kind, RateLimit> = {
  token: LIMITS.shopperTokens,
  cart: LIMITS.shopperCarts,
};

export class ShopLimits {
  #used = new Map<string, { minute: number; count: number }>();

  /**
   * Takes one `kind` from `client`'s allowance at `now`, in this process and then in KV; a spent
   * one is a 429 with `Retry-After`.
   */
  async take(kv: Deno.Kv, kind: Kind, client: string, now: number): Promise<void> {
    const subject = addressSubject(client);
    this.#takeHere(kind, subject, now);
    await takeLimit(kv, LIMIT_OF[kind], subject, now);
  }

  #takeHere(kind: Kind, subject: string, now: number): void {
    const limit = LIMIT_OF[kind];
    const minute = Math.floor(now / limit.windowMs);
    const key = `${kind}|${subject}`;
    let used = this.#used.get(key);
    if (used === undefined || used.minute !== minute) {
      if (this.#used.size >= MAX_CLIENTS) this.#used.clear();
      used = { minute, count: 0 };
      this.#used.set(key, used);
    }
    if (++used.count > limit.max) {
      const wait = Math.max(1, Math.ceil(((minute + 1) * limit.windowMs - now) / 1000));
      throw new RateLimitedError(`${limit.message}; try again in ${wait} s`, limit.code, wait);
    }
  }
}
