/**
 * The shopping options of the merchant's account: what every cart offers (customer fields,
 * countries, card brands, flat-rate shipping, tax by country). Shipping prices go in and out in
 * the currency's units and are kept in minor units.
 */
import { createRoute } from "@hono/zod-openapi";
import { fromMinor, toMinor } from "../../commerce/money.ts";
import { getShoppingOptions, setShoppingOptions, type ShoppingOptions } from "../../kv/catalog.ts";
import { currencyOf } from "./catalog.ts";
import { auditBy } from "./audit.ts";
import { ShoppingOptionsPut, ShoppingOptionsSchema } from "./commerce_schemas.ts";
import { apiRouter, jsonBody, jsonResponse } from "./env.ts";
import { needs } from "./permission.ts";
import { ErrorSchema } from "./schemas.ts";

const error = (description: string) => jsonResponse(ErrorSchema, description);

function optionsJson(options: ShoppingOptions) {
  return {
    ...options,
    shipping_methods: options.shipping_methods.map((m) => ({
      ...m,
      price: fromMinor(m.price, m.currency),
    })),
  };
}

const optionsExample = {
  customer_required_fields: ["name", "email", "billing_address.country"],
  customer_optional_fields: ["billing_address.postal_code"],
  allowed_customer_countries: ["US", "CA", "GB"],
  card_types: ["Visa", "Mastercard", "American Express", "Discover"],
  shipping_methods: [{ method_id: "standard", name: "Standard", price: 5, currency: "USD" }],
  tax_rates: [{ country: "US", rate: 8.25 }],
};

export const shoppingOptions = apiRouter()
  .openapi(
    createRoute({
      ...needs("read"),
      method: "get",
      path: "/shopping_options",
      tags: ["Catalog"],
      summary: "Read the shopping options",
      description: "What every cart of the account offers: the customer fields asked for, " +
        "the countries sold to, the card brands shown, flat-rate shipping methods (for carts " +
        "with physical items, in the cart's currency) and tax rates by country (percent, on " +
        "goods and shipping).",
      responses: {
        200: jsonResponse(ShoppingOptionsSchema, "The options", optionsExample),
      },
    }),
    async (c) => {
      const options = await getShoppingOptions(c.get("kv"), c.get("principal").accountId);
      return c.json(optionsJson(options), 200);
    },
  )
  .openapi(
    createRoute({
      ...needs("manage"),
      method: "put",
      path: "/shopping_options",
      tags: ["Catalog"],
      summary: "Set the shopping options",
      description: "Sets the fields given; the others keep their value.",
      request: {
        body: jsonBody(ShoppingOptionsPut, {
          shipping_methods: [{
            method_id: "standard",
            name: "Standard",
            price: 5,
            currency: "USD",
          }],
          tax_rates: [{ country: "US", rate: 8.25 }],
        }),
      },
      responses: {
        200: jsonResponse(ShoppingOptionsSchema, "The options", optionsExample),
        422: error("The input is invalid"),
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const change: Partial<ShoppingOptions> = { ...input, shipping_methods: undefined };
      delete change.shipping_methods;
      if (input.shipping_methods) {
        change.shipping_methods = input.shipping_methods.map((m) => {
          const currency = currencyOf(m.currency);
          return { ...m, currency, price: toMinor(m.price, currency, "shipping_methods.price") };
        });
      }
      const accountId = c.get("principal").accountId;
      const options = await setShoppingOptions(c.get("kv"), accountId, change, auditBy(c));
      return c.json(optionsJson(options), 200);
    },
  );
