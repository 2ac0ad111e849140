import assert from "node:assert/strict";
import { accountCurrencies, defaultCurrency } from "./currencies.ts";

Deno.test("an account's default currency is its first, else USD", () => {
  assert.equal(defaultCurrency({ currencies: ["EUR", "GBP"] }), "EUR");
  assert.equal(defaultCurrency({ currencies: [] }), "USD");
  assert.equal(defaultCurrency({}), "USD");
  assert.equal(defaultCurrency(null), "USD");
  assert.deepEqual(accountCurrencies({ currencies: ["JPY", "USD"] }), ["JPY", "USD"]);
  assert.deepEqual(accountCurrencies({ currencies: [] }), ["USD"]);
  assert.deepEqual(accountCurrencies(undefined), ["USD"]);
});
