/**
 * What one client may make through the shopper API: tokens and carts are written to KV, and
 * anyone can ask for them, so an address gets a bounded number a minute (a household or an
 * office behind one NAT stays far below). Per process and in memory like the edge's beacon
 * limits: the point is that no one client can fill the store, not an exact count across regions.
 * A client is what the edge says it is (`forwarded.ts` clientAddress); on the platform host,
 * where no edge stands in front, requests are not limited here.
 */
import { RateLimitedError } from "../../lib/errors.ts";

export const TOKENS_PER_MINUTE = 60;
export const CARTS_PER_MINUTE = 120;
/** Clients remembered; past this the memory starts over (a flood of addresses only empties it). */
const MAX_CLIENTS = 20_000;

type Kind = "token" | "cart";
const ALLOWED: Record<Kind, number> = { token: TOKENS_PER_MINUTE, cart: CARTS_PER_MINUTE };

export class ShopLimits {
  #used = new Map<string, { minute: number; count: number }>();

  /** Takes one `kind` from `client`'s allowance at `now`; a spent one is a 429. */
  take(kind: Kind, client: string | null, now: number): void {
    if (client === null) return;
    const minute = Math.floor(now / 60_000);
    const key = `${kind}|${client}`;
    let used = this.#used.get(key);
    if (used === undefined || used.minute !== minute) {
      if (this.#used.size >= MAX_CLIENTS) this.#used.clear();
      used = { minute, count: 0 };
      this.#used.set(key, used);
    }
    if (++used.count > ALLOWED[kind]) {
      const wait = Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000));
      throw new RateLimitedError(
        `Too many ${kind === "token" ? "tokens" : "carts"} asked for from this address; ` +
          `try again in ${wait} s`,
        "rate_limited",
        wait,
      );
    }
  }
}
