/**
 * A card as a shopper typed it, checked before any gateway sees it: the number's length and
 * Luhn digit and its brand (card-validator, Braintree's well-kept library), the expiry against
 * the request's clock, the CVC's length for the brand. What leaves this module is the card's
 * public face only — brand, last four digits, expiry — so nothing downstream can store, log or
 * echo the number by mistake.
 */
import cardValidator from "card-validator";
import { PaymentFailedError } from "../lib/errors.ts";

/** The card fields of a payment method, as Comecero's client sends them: strings as typed. */
export interface CardInput {
  number: string;
  exp_month: string;
  exp_year: string;
  cvv?: string;
}

/** What may be kept and shown of a card. */
export interface CardFace {
  /** Brand as Comecero names it: "Visa", "Mastercard", "American Express"… */
  type: string;
  /** Last four digits. */
  mask: string;
  exp_month: string;
  exp_year: string;
  label: string;
}

/** A checked card: its face, and the number the gateway alone receives. */
export interface CheckedCard {
  face: CardFace;
  number: string;
  cvv: string | null;
}

/** Expiry as a month index (year × 12 + month − 1); a 2-digit year is this century's. */
function expiryIndex(month: string, year: string): number | null {
  if (!/^\d{1,2}$/.test(month) || !/^\d{2}(\d{2})?$/.test(year)) return null;
  const m = Number(month);
  if (m < 1 || m > 12) return null;
  const y = year.length === 2 ? 2000 + Number(year) : Number(year);
  return y * 12 + m - 1;
}

/**
 * Checks `input` at time `now` (ms); throws a 402 `PaymentFailedError` with Stripe's code
 * (`incorrect_number`, `invalid_expiry_month`, `expired_card`, `incorrect_cvc`) otherwise.
 */
export function checkCard(input: CardInput, now: number): CheckedCard {
  const number = input.number.replace(/[\s-]/g, "");
  const verdict = cardValidator.number(number);
  if (!/^\d{12,19}$/.test(number) || !verdict.isValid || !verdict.card) {
    throw new PaymentFailedError("Your card number is incorrect.", "incorrect_number");
  }
  const expiry = expiryIndex(input.exp_month.trim(), input.exp_year.trim());
  if (expiry === null) {
    throw new PaymentFailedError("Your card's expiration date is invalid.", "invalid_expiry");
  }
  const today = new Date(now);
  if (expiry < today.getUTCFullYear() * 12 + today.getUTCMonth()) {
    throw new PaymentFailedError("Your card has expired.", "expired_card");
  }
  const cvv = input.cvv?.trim() || null;
  if (cvv !== null && !cardValidator.cvv(cvv, verdict.card.code.size).isValid) {
    throw new PaymentFailedError("Your card's security code is incorrect.", "incorrect_cvc");
  }
  const year = String(Math.floor(expiry / 12));
  const month = String((expiry % 12) + 1).padStart(2, "0");
  const type = verdict.card.niceType;
  const mask = number.slice(-4);
  return {
    face: { type, mask, exp_month: month, exp_year: year, label: `${type} ****${mask}` },
    number,
    cvv,
  };
}
