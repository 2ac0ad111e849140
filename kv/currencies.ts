/**
 * The one rule for an account's currencies: the ones it names, the first being its default, and
 * USD when it names none. The shopper API prices carts and counts revenue by it, the stats
 * report revenue in it, and the edge tells storefronts the list. Dependency-free (a type import
 * only), so the edge can use it without pulling in the platform.
 */
import type { Account } from "./accounts.ts";

/** The currency of an account that names none. */
const FALLBACK_CURRENCY = "USD";

type CurrencyHolder = Pick<Account, "currencies"> | null | undefined;

/** The account's currencies, default first; `["USD"]` when it names none. */
export function accountCurrencies(account: CurrencyHolder): string[] {
  const codes = account?.currencies;
  return codes?.length ? codes : [FALLBACK_CURRENCY];
}

/** The account's default currency: its first, else USD. */
export function defaultCurrency(account: CurrencyHolder): string {
  return accountCurrencies(account)[0];
}
