import assert from "node:assert/strict";
import { formatMoney, fromMinor, minorDigits, percentOf, toMinor } from "./money.ts";
import { computeTotals } from "./totals.ts";
import { checkCard } from "./cards.ts";

Deno.test("toMinor() is exact to the currency's minor unit and refuses more decimals", () => {
  assert.equal(toMinor(24.99, "USD"), 2499);
  assert.equal(toMinor(0.1, "USD") * 3, 30);
  assert.equal(toMinor(1500, "JPY"), 1500);
  assert.equal(minorDigits("KWD"), 3);
  assert.equal(toMinor(1.234, "KWD"), 1234);
  assert.throws(() => toMinor(10.005, "USD"), /more decimals/);
  assert.throws(() => toMinor(1.5, "JPY"), /more decimals/);
  assert.equal(fromMinor(30, "USD"), 0.3);
  // ICU puts a no-break space between amount and symbol.
  assert.equal(formatMoney(123456, "EUR", "de-DE"), "1.234,56\u00a0€");
});

Deno.test("totals add in minor units; tax rounds half up on goods and shipping", () => {
  const totals = computeTotals([{ product_id: "a", price: 10, quantity: 3 }], 500, 8.25);
  assert.deepEqual(totals, {
    lines: [30],
    subtotal: 30,
    shipping: 500,
    tax: 44,
    discount: 0,
    total: 574,
  });
  assert.equal(percentOf(5300, 8.25), 437);
  assert.equal(percentOf(200, 8.25), 17);
  assert.equal(percentOf(9_000_000_000_000, 19.5), 1_755_000_000_000);
});

Deno.test("checkCard() keeps brand, last four and expiry, and refuses bad numbers and dates", () => {
  const now = Date.UTC(2026, 10, 28);
  const card = checkCard({
    number: "4242 4242 4242 4242",
    exp_month: "11",
    exp_year: "26",
    cvv: "123",
  }, now);
  assert.deepEqual(card.face, {
    type: "Visa",
    mask: "4242",
    exp_month: "11",
    exp_year: "2026",
    label: "Visa ****4242",
  });
  assert.equal(
    checkCard({ number: "378282246310005", exp_month: "1", exp_year: "2030", cvv: "1234" }, now)
      .face.type,
    "American Express",
  );
  const code = (input: Parameters<typeof checkCard>[0]) => {
    try {
      checkCard(input, now);
      return "ok";
    } catch (error) {
      return (error as { code: string }).code;
    }
  };
  assert.equal(
    code({ number: "4242424242424241", exp_month: "12", exp_year: "30" }),
    "incorrect_number",
  );
  assert.equal(
    code({ number: "4242424242424242", exp_month: "10", exp_year: "26" }),
    "expired_card",
  );
  assert.equal(
    code({ number: "4242424242424242", exp_month: "0", exp_year: "30" }),
    "invalid_expiry",
  );
  assert.equal(
    code({ number: "4242424242424242", exp_month: "12", exp_year: "30", cvv: "12" }),
    "incorrect_cvc",
  );
});

Deno.test("totals past 2^53 are refused, never rounded; just below, every cent is kept", () => {
  const top = 1e13; // the largest price (MAX_MINOR)
  assert.throws(
    () => computeTotals([{ product_id: "a", price: top, quantity: 9999 }], 0, 0),
    (error: Error & { code?: string }) => error.code === "cart_total_too_large",
  );
  const totals = computeTotals([{ product_id: "a", price: top - 1, quantity: 700 }], 7, 19.5);
  // Goods + shipping 6,999,999,999,999,307; 19.5 % of it is ...864.865, rounded half up.
  assert.equal(totals.subtotal, 6_999_999_999_999_300);
  assert.equal(totals.tax, 1_364_999_999_999_865);
  assert.equal(totals.total, 8_364_999_999_999_172);
});
