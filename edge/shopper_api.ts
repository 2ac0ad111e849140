/**
 * The shopper API's shape as the edge and server.ts know it, apart from the module itself
 * (`routes/shop/`), which the edge never imports (edge/shopper.ts).
 */

/** What the edge knows of a shopper's request, for the shopper API. */
export interface ShopperContext {
  accountId: string;
  appId: string;
  /** The version of the page the shopper is on (their pin, else the selected one); 0: none. */
  version: number;
  /** `test` when the request came through a test link. */
  mode: "live" | "test";
  /** When the test link ends (ms), for a test token's life; null live. */
  testUntil: number | null;
  /** Where the request comes from (`forwarded.ts` clientAddress), for per-client limits. */
  client: string;
}

export interface ShopperApi {
  fetch(request: Request, shopper: ShopperContext | null): Promise<Response>;
}

/** Imports and builds the shopper API once (server.ts makes it). */
export type ShopperApiLoader = () => Promise<ShopperApi>;
