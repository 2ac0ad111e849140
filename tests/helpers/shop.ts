/**
 * A shopper's side of the commerce tests: a catalog made through the merchant API, and a client
 * that speaks the shopper API on an app host exactly as Comecero's cart does (same-origin
 * `/api/v1`, `Authorization: Bearer`, JSON bodies), keeping the cookies the edge sets.
 */
import assert from "node:assert/strict";
import type { RawResponse } from "./http.ts";
import type { TestServer } from "./server.ts";
import { install, promote } from "./fixtures.ts";

/** Makes app `slug` with one live version, and the catalog: two products and flat shipping. */
export async function storeWithCatalog(server: TestServer, slug = "shop"): Promise<void> {
  await install(server, slug, { "index.html": "<html><body><p>store</p></body></html>" });
  await promote(server, slug, 1);
  await addCatalog(server);
}

export async function addCatalog(server: TestServer, token?: string): Promise<void> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  for (
    const product of [
      { product_id: "mug", name: "Stoneware Mug", price: 24, currency: "USD" },
      { product_id: "ebook", name: "Brewing Guide", price: 0.1, currency: "USD", type: "digital" },
    ]
  ) {
    const res = await server.api("POST", "/products", product, headers);
    assert.equal(res.status, 201, await res.clone().text());
    await res.body?.cancel();
  }
  const res = await server.api("PUT", "/shopping_options", {
    shipping_methods: [{ method_id: "standard", name: "Standard", price: 5, currency: "USD" }],
    tax_rates: [{ country: "US", rate: 8.25 }],
  }, headers);
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
}

export interface Shopper {
  token: string | null;
  /** Cookies the edge set, as a browser would send them back. */
  cookies: Map<string, string>;
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<RawResponse>;
  /** Asks for a token as Comecero's client does (no body, no Authorization) and keeps it. */
  signIn(query?: string): Promise<RawResponse>;
}

/** A shopper on app host `slug`; `path`s are sent as given (query strings included). */
export function shopper(server: TestServer, slug: string): Shopper {
  const self: Shopper = {
    token: null,
    cookies: new Map(),
    async call(method, path, body, headers = {}) {
      const all: Record<string, string> = { ...headers };
      if (self.token) all.authorization = `Bearer ${self.token}`;
      if (self.cookies.size) {
        all.cookie = [...self.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
      }
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === "string" ? body : JSON.stringify(body);
        all["content-type"] = "application/json";
      }
      const res = await server.edge(slug, path, { method, headers: all, body: payload });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(";");
        const eq = pair.indexOf("=");
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        if (/Max-Age=0/i.test(line)) self.cookies.delete(name);
        else self.cookies.set(name, value);
      }
      return res;
    },
    async signIn(query = "") {
      const res = await self.call("POST", `/api/v1/auths/limited?timezone=UTC${query}`);
      if (res.status === 201) self.token = res.json<{ token: string }>().token;
      return res;
    },
  };
  return self;
}

/** A card payment body as Comecero's client sends it: strings exactly as typed. */
export function cardBody(number: string, month = "12", year = "30", cvv = "123") {
  return {
    payment_method: {
      type: "credit_card",
      data: { number, exp_month: month, exp_year: year, cvv },
    },
  };
}

/** A filled-in cart update: name, email, a US billing address. */
export const CUSTOMER = {
  name: "Ada Lovelace",
  email: "ada@example.com",
  billing_address: { name: "Ada Lovelace", country: "US", postal_code: "10001" },
};
