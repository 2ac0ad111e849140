/**
 * Payment gateways. A gateway charges a checked card (cards.ts) and answers a transaction id or
 * a decline in Stripe's words; the shopper API stores neither the number nor the CVC, only what
 * `CardFace` holds. The built-in test gateway follows Stripe's documented test cards, so a
 * storefront can be tried end to end, declines included, without a processor account.
 */
import { PaymentFailedError } from "../lib/errors.ts";
import type { CheckedCard } from "./cards.ts";

export interface ChargeRequest {
  /** Minor units. */
  amount: number;
  currency: string;
  card: CheckedCard;
  /** The payment this charge is for (the gateway's idempotency reference). */
  reference: string;
}

export interface PaymentGateway {
  readonly name: string;
  /** The gateway's transaction id; throws `PaymentFailedError` for a decline. */
  charge(request: ChargeRequest): Promise<{ transaction_id: string }>;
  /** Gives a charge back whole (its order could not be recorded). */
  refund(transactionId: string): Promise<void>;
}

/** Stripe's test numbers that fail, with the code and the message a shopper is shown. */
const TEST_DECLINES: Record<string, [code: string, message: string]> = {
  "4000000000000002": ["card_declined", "Your card was declined."],
  "4000000000009995": [
    "insufficient_funds",
    "Your card has insufficient funds. Try another card.",
  ],
  "4000000000000069": ["expired_card", "Your card has expired."],
  "4000000000000127": ["incorrect_cvc", "Your card's security code is incorrect."],
  "4000000000000119": [
    "processing_error",
    "An error occurred while processing your card. Try again in a little bit.",
  ],
};

/** A charge the test gateway made, as a processor's dashboard would list it. */
export interface TestCharge {
  transaction_id: string;
  reference: string;
  amount: number;
  currency: string;
}

/** The test gateway, with the ledger of what it charged and gave back. */
export interface TestGateway extends PaymentGateway {
  /** Every charge made (declines are not charges), oldest first. */
  readonly charges: readonly TestCharge[];
  /** The transaction ids refunded, oldest first. */
  readonly refunds: readonly string[];
}

/**
 * A test gateway: every valid card succeeds except Stripe's decline numbers above, each with
 * Stripe's code. It moves no money, but keeps a ledger in memory (per instance, as a processor's
 * dashboard would show it), so a test can count charges and refunds, not only orders.
 */
export function createTestGateway(): TestGateway {
  const charges: TestCharge[] = [];
  const refunds: string[] = [];
  return {
    name: "test",
    charges,
    refunds,
    charge(request) {
      const decline = TEST_DECLINES[request.card.number];
      if (decline) {
        return Promise.reject(new PaymentFailedError(decline[1], decline[0]));
      }
      const transaction_id = `test_${crypto.randomUUID()}`;
      const { reference, amount, currency } = request;
      charges.push({ transaction_id, reference, amount, currency });
      return Promise.resolve({ transaction_id });
    },
    refund(transactionId) {
      refunds.push(transactionId);
      return Promise.resolve();
    },
  };
}
