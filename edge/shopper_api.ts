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
  /** The client's country, as the trusted proxy says (`forwarded.ts` proxyCountry); else null. */
  country: string | null;
}

/** Where a platform-host request comes from: the same facts as on an app host. */
export type ClientOrigin = Pick<ShopperContext, "client" | "country">;

export interface ShopperApi {
  /** `shopper`: what the edge knows on an app host; null on the platform host, with `origin`. */
  fetch(
    request: Request,
    shopper: ShopperContext | null,
    origin?: ClientOrigin,
  ): Promise<Response>;
}

/** Imports and builds the shopper API once (server.ts makes it). */
export type ShopperApiLoader = () => Promise<ShopperApi>;
