/**
 * `/settings/account.*`: what Comecero's hosting tells its apps about the account and the request
 * (COMECERO-API.md §8), made per request from the cached account record, the request's
 * `Accept-Language` and Host, and the clock.
 */
import { accountCurrencies } from "../kv/currencies.ts";
import type { Account } from "../kv/accounts.ts";
import type { EdgeContext } from "./context.ts";

/** The `window.__settings.account` of the request. */
export async function accountSettings(ctx: EdgeContext) {
  const account = await ctx.deps.state.accounts.get(ctx.app.account_id, ctx.now);
  // What Comecero's hosting gives its apps (COMECERO-API.md §8); kit.js reads
  // `payment_method_types` as it loads, and the cart shows a currency's name beside its code.
  return {
    account_id: ctx.app.account_id,
    company_name: account?.name ?? null,
    currencies: currencyList(account),
    test: ctx.mode.name === "test",
    payment_method_types: ["credit_card"],
    allow_save_cards: false,
    date_utc: new Date(ctx.now).toISOString(),
    browser_info: browserInfo(ctx.request),
    api_host: apiHost(ctx),
    app: ctx.app.slug,
    version: ctx.version || null,
  };
}

let currencyNames: Intl.DisplayNames | null = null;
/**
 * Each cached account record's currencies with their names: the record stays the same object
 * until the account cache reads a changed one, so the list is built once per account change,
 * not once per `account.js` request.
 */
const currencyLists = new WeakMap<Account, Currency[]>();
let fallbackList: Currency[] | null = null;

interface Currency {
  code: string;
  name: string;
}

/** The account's currencies, default first, each with its name. */
function currencyList(account: Account | null): Currency[] {
  if (account === null) return fallbackList ??= namedCurrencies(accountCurrencies(null));
  let list = currencyLists.get(account);
  if (list === undefined) {
    list = namedCurrencies(accountCurrencies(account));
    currencyLists.set(account, list);
  }
  return list;
}

function namedCurrencies(codes: string[]): Currency[] {
  return codes.map((code) => ({ code, name: currencyName(code) }));
}

/** A currency's English name from ICU: "USD" → "US Dollar". */
function currencyName(code: string): string {
  currencyNames ??= new Intl.DisplayNames(["en"], { type: "currency" });
  return currencyNames.of(code) ?? code;
}

/** The shopper's first language (`Accept-Language`), as Comecero's `browser_info` gives it. */
function browserInfo(request: Request): { locale: string; language: string } {
  const first = (request.headers.get("accept-language") ?? "").split(",")[0].split(";")[0].trim();
  const locale = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(first) ? first : "en-US";
  return { locale, language: locale.split("-")[0].toLowerCase() };
}

const HOST_AND_PORT = /^([a-z0-9.-]+)(?::(\d{1,5}))?$/;

/**
 * The host (and port, unless the scheme's default) the shopper's page was loaded from, as
 * `URL.host` would say it, when the Host header is a plain `name[:port]`; else the app's own
 * host name. Never `new URL(request.url)`, which throws on a port like `abc` or `99999`.
 */
function apiHost(ctx: EdgeContext): string {
  const url = ctx.request.url;
  const { appsDomain } = ctx.deps.config;
  const start = url.indexOf("//") + 2;
  const end = url.indexOf("/", start);
  const authority = url.slice(start, end === -1 ? undefined : end).toLowerCase();
  const match = HOST_AND_PORT.exec(authority);
  if (match === null) return `${ctx.app.slug}.${appsDomain}`;
  const [, name, port] = match;
  if (port === undefined) return name;
  const number = Number(port);
  if (number > 65535) return `${ctx.app.slug}.${appsDomain}`;
  const defaultPort = url.startsWith("https:") ? 443 : 80;
  return number === defaultPort ? name : `${name}:${number}`;
}
