/**
 * A card purchase through the shopper API, as Comecero's cart makes it: the token call, a cart,
 * the echoed update with the customer, and the payment (catalog prices, totals, the test
 * gateway, and the one commit of payment, order, closed cart and counters), over the real
 * handler on a SQLite KV file. Sequential purchases give the latency a shopper waits; concurrent
 * shoppers give what one instance sustains.
 */
import { median, type Section } from "./report.ts";
import { startBenchServer } from "./server.ts";
import { AddressRanges } from "../lib/addresses.ts";

/**
 * Each purchase comes from its own shopper address, as it would in production (through the
 * trusted proxy, `X-Forwarded-For`): from one address the per-address token and cart limits
 * (kv/rate_limits.ts) would refuse the bench's hundreds of checkouts a minute.
 */
let shopperNumber = 0;
function nextShopperAddress(): string {
  const n = shopperNumber++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

const SEQUENTIAL = 200;
const SHOPPERS = 20;
const EACH = 10;

const CUSTOMER = { name: "Ada", email: "ada@example.com", billing_address: { country: "US" } };
const CARD = {
  payment_method: {
    type: "credit_card",
    data: { number: "4242424242424242", exp_month: "12", exp_year: "2030", cvv: "123" },
  },
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** One purchase; answers the time of the payment call and of the whole checkout (ms). */
async function purchase(base: string, accountId: string) {
  const started = performance.now();
  const address = { "x-forwarded-for": nextShopperAddress() };
  const auth = await fetch(`${base}/auths/limited?account_id=${accountId}`, {
    method: "POST",
    headers: address,
  });
  const { token } = await auth.json();
  const call = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        ...address,
      },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const cart = await call("/carts?formatted=true&options=true", { items: [{ product_id: "mug" }] });
  await call(`/carts/${cart.cart_id}?formatted=true`, { ...cart, customer: CUSTOMER });
  const paying = performance.now();
  await call(`/carts/${cart.cart_id}/payments?expand=order&formatted=true`, CARD);
  const ended = performance.now();
  return { payment: ended - paying, checkout: ended - started };
}

export async function checkoutBench(): Promise<Section> {
  const server = await startBenchServer({ trustedProxy: AddressRanges.parse("127.0.0.1") });
  try {
    await (await server.api(
      "POST",
      "/products",
      JSON.stringify({
        product_id: "mug",
        name: "Mug",
        price: 24,
        currency: "USD",
      }),
    )).body?.cancel();
    const accountId = (await server.kv.get<string>(["platform", "default_account"])).value!;
    const base = `http://127.0.0.1:${server.port}/api/v1`;
    for (let i = 0; i < 20; i++) await purchase(base, accountId); // warm-up
    const sequential = [];
    for (let i = 0; i < SEQUENTIAL; i++) sequential.push(await purchase(base, accountId));
    const payments = sequential.map((r) => r.payment);
    const checkouts = sequential.map((r) => r.checkout);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: SHOPPERS }, async () => {
        for (let i = 0; i < EACH; i++) await purchase(base, accountId);
      }),
    );
    const perSecond = (SHOPPERS * EACH) / ((performance.now() - started) / 1000);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    return {
      title: "Checkout (shopper API)",
      rows: [
        {
          what: `card payment call (charge + one commit of payment, order, cart, counters)`,
          result: `p50 ${ms(median(payments))}, p95 ${ms(percentile(payments, 0.95))}`,
          goal: "p95 ≤ 50 ms",
          met: percentile(payments, 0.95) <= 50,
        },
        {
          what: "whole checkout: token, cart, echoed update, payment (4 requests)",
          result: `p50 ${ms(median(checkouts))}, p95 ${ms(percentile(checkouts, 0.95))}`,
          goal: "p95 ≤ 150 ms",
          met: percentile(checkouts, 0.95) <= 150,
        },
        {
          what: `${SHOPPERS} shoppers at once, ${EACH} checkouts each`,
          result: `${perSecond.toFixed(0)} checkouts/s`,
          goal: "≥ 30 checkouts/s",
          met: perSecond >= 30,
        },
      ],
      method: `${SEQUENTIAL} sequential purchases after 20 for warm-up, then ${SHOPPERS} ` +
        "concurrent shoppers, through `fetch` on loopback to the platform host (the same module " +
        "answers on store hosts), over a SQLite KV file. A checkout makes five commits (token, " +
        "cart, update, the payment's hold, the purchase); on a local file each waits for SQLite's " +
        "sync, which is where most of the time goes (a CPU profile shows the process idle " +
        "about 60 % of it).",
    };
  } finally {
    await server.close();
  }
}

if (import.meta.main) {
  const section = await checkoutBench();
  for (const row of section.rows) console.log(`${row.what}: ${row.result} (goal ${row.goal})`);
}
