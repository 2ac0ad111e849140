/**
 * Rate limits kept in KV, so every process and every Deploy region counts against one budget
 * (an in-memory counter per isolate would let an attacker multiply it by spreading requests).
 * Each limit is a fixed window that starts at the subject's first counted request: a checked
 * commit writes `{count, reset_at}` with `expireIn` equal to the rest of the window, so KV drops
 * the counter by itself, and every read still compares `reset_at` with the caller's clock (KV's
 * expiry is lazy, and tests move the clock). A checked commit rather than `sum`: KV's `sum`
 * takes no `expireIn`, and an unexpiring counter per address would grow without end.
 */
import { RateLimitedError } from "../lib/errors.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { rateLimitKey } from "./keys.ts";

/** One limit: at most `max` counted requests per subject in `windowMs`. */
export interface RateLimit {
  /** Names the counter in KV and the limit in docs/OPERATING.md. */
  name: string;
  max: number;
  windowMs: number;
  /** The error code of the 429. */
  code: string;
  /** The 429's message: what is limited and that waiting helps. */
  message: string;
}

const MINUTE = 60_000;

/**
 * The limits and their values (docs/OPERATING.md "Rate limits" lists the same). Failures are
 * counted where an honest person rarely fails (a sign-in, a token), requests where each one costs
 * something (a mail sent, a test link looked up).
 */
export const LIMITS = {
  /** Failed sign-ins (a used or made-up link, a refused OAuth callback or passkey) per address. */
  signInFailures: {
    name: "sign_in_failures",
    max: 20,
    windowMs: 15 * MINUTE,
    code: "too_many_sign_in_attempts",
    message: "Too many failed sign-in attempts from this address",
  },
  /** "Email me a sign-in link" per address: each request may send a mail. */
  signInLinkPerAddress: {
    name: "sign_in_link_address",
    max: 20,
    windowMs: 60 * MINUTE,
    code: "too_many_sign_in_links",
    message: "Too many sign-in links asked for from this address",
  },
  /** … and per email address, so nobody's inbox can be flooded from many addresses. */
  signInLinkPerEmail: {
    name: "sign_in_link_email",
    max: 5,
    windowMs: 60 * MINUTE,
    code: "too_many_sign_in_links",
    message: "Too many sign-in links asked for this email address",
  },
  /**
   * Invitations mailed per account: each one is a mail the platform's SMTP sends to an address
   * the caller chose, and any OAuth sign-in makes an account whose owner may invite.
   */
  invitationMailsPerAccount: {
    name: "invitation_mail_account",
    max: 30,
    windowMs: 60 * MINUTE,
    code: "too_many_invitations_sent",
    message: "Too many invitations mailed from this account",
  },
  /** … and per invited address, across accounts, so nobody's inbox can be flooded with them. */
  invitationMailsPerEmail: {
    name: "invitation_mail_email",
    max: 3,
    windowMs: 24 * 60 * MINUTE,
    code: "too_many_invitations_sent",
    message: "Too many invitations mailed to this email address",
  },
  /**
   * Sign-ins begun per address (an OAuth redirect, a passkey challenge), failed or not: each
   * writes a one-time state or challenge to KV for anyone who asks, so a loop could fill KV with
   * them; a person begins a handful.
   */
  signInStarts: {
    name: "sign_in_starts",
    max: 60,
    windowMs: 10 * MINUTE,
    code: "too_many_sign_in_starts",
    message: "Too many sign-ins begun from this address",
  },
  /** Unknown, revoked, expired or malformed API tokens per address. */
  badTokens: {
    name: "bad_tokens",
    max: 30,
    windowMs: 10 * MINUTE,
    code: "too_many_bad_tokens",
    message: "Too many requests with an invalid API token from this address",
  },
  /**
   * Test links opened (`/_switchyard/preview?token=…`) per address, valid or not: a reviewer
   * opens a link once (the cookie does the rest), but a whole office may open one mail's link.
   */
  testLinkOpens: {
    name: "test_link_opens",
    max: 60,
    windowMs: 10 * MINUTE,
    code: "too_many_test_link_opens",
    message: "Too many test links opened from this address",
  },
  /**
   * Shopper tokens issued (`POST /auths/limited`) per address, on app and platform hosts: each
   * is a KV record kept 14 days, and anyone may ask; a shopper needs one per visit.
   */
  shopperTokens: {
    name: "shopper_tokens",
    max: 60,
    windowMs: MINUTE,
    code: "rate_limited",
    message: "Too many tokens asked for from this address",
  },
  /** Carts created (`POST /carts`) per address: each is a KV record kept 30 days. */
  shopperCarts: {
    name: "shopper_carts",
    max: 120,
    windowMs: MINUTE,
    code: "rate_limited",
    message: "Too many carts made from this address",
  },
} as const satisfies Record<string, RateLimit>;

interface Window {
  count: number;
  /** When the window ends (ms since the epoch). */
  reset_at: number;
}

/** Seconds until `reset_at`, at least 1 (`Retry-After: 0` would invite a retry at once). */
function retryAfter(window: Window, now: number): number {
  return Math.max(1, Math.ceil((window.reset_at - now) / 1000));
}

function refuse(limit: RateLimit, window: Window, now: number): RateLimitedError {
  const seconds = retryAfter(window, now);
  return new RateLimitedError(
    `${limit.message}: try again in ${seconds} s`,
    limit.code,
    seconds,
  );
}

/** The window a subject is in now, or null when it has none (or it ended). */
function current(entry: Deno.KvEntryMaybe<Window>, now: number): Window | null {
  return entry.value && entry.value.reset_at > now ? entry.value : null;
}

/**
 * Throws a `RateLimitedError` when `subject` has used up `limit` now; counts nothing. One
 * eventually consistent read: the cheapest look there is, for paths that count only failures.
 */
export async function checkLimit(
  kv: Deno.Kv,
  limit: RateLimit,
  subject: string,
  now = Date.now(),
): Promise<void> {
  const entry = await kv.get<Window>(rateLimitKey(limit.name, subject), {
    consistency: "eventual",
  });
  const window = current(entry, now);
  if (window && window.count >= limit.max) throw refuse(limit, window, now);
}

/** Commits lost to concurrent requests of one subject before it is refused rather than retried. */
const MAX_TRIES = 12;

/** A short random wait after a lost commit (up to 2^try ms, at most 64), so a burst spreads out. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(64, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Counts one request of `subject` against `limit`, or throws a `RateLimitedError` (with the
 * seconds until the window ends) when the window is used up. Concurrent counts of one subject
 * retry their checked commit after a short random wait, so none is lost; a subject still losing
 * after twelve tries is sending a flood and is refused.
 */
export async function takeLimit(
  kv: Deno.Kv,
  limit: RateLimit,
  subject: string,
  now = Date.now(),
): Promise<void> {
  const key = rateLimitKey(limit.name, subject);
  for (let i = 0; i < MAX_TRIES; i++) {
    const entry = await kv.get<Window>(key);
    const window = current(entry, now) ?? { count: 0, reset_at: now + limit.windowMs };
    if (window.count >= limit.max) throw refuse(limit, window, now);
    const next = { count: window.count + 1, reset_at: window.reset_at };
    const result = await kv.atomic().check(entry)
      .set(key, next, { expireIn: Math.max(1, next.reset_at - now) })
      .commit();
    if (result.ok) return;
    await backoff(i);
  }
  throw refuse(limit, { count: limit.max, reset_at: now + 1000 }, now);
}

/**
 * Gives back one request counted by `takeLimit` (a reserved attempt that succeeded), so only
 * failures stay counted. Best effort: a window that ended, or a count lost to twelve concurrent
 * commits, is left as it is — the count then errs towards the limit, never past it.
 */
export async function giveBackLimit(
  kv: Deno.Kv,
  limit: RateLimit,
  subject: string,
  now = Date.now(),
): Promise<void> {
  const key = rateLimitKey(limit.name, subject);
  for (let i = 0; i < MAX_TRIES; i++) {
    const entry = await kv.get<Window>(key);
    const window = current(entry, now);
    if (window === null || window.count === 0) return;
    const next = { count: window.count - 1, reset_at: window.reset_at };
    const result = await kv.atomic().check(entry)
      .set(key, next, { expireIn: Math.max(1, next.reset_at - now) })
      .commit();
    if (result.ok) return;
    await backoff(i);
  }
}

/** Counts a failure, never throwing for it (the caller reports the failure itself). */
export async function noteFailure(
  kv: Deno.Kv,
  limit: RateLimit,
  subject: string,
  now = Date.now(),
): Promise<void> {
  try {
    await takeLimit(kv, limit, subject, now);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
  }
}

/**
 * The subject an address is counted as: an IPv4 address itself, an IPv6 address by its /64
 * (one subscriber is handed a whole /64, RFC 6177, and could otherwise change address per
 * request).
 */
export function addressSubject(address: string): string {
  if (!address.includes(":") || /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address)) {
    return address.replace(/^::ffff:/i, "");
  }
  const [head, tail = ""] = address.split("%")[0].toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::")
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right]
    : left;
  return groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, "")).join(":") + "::/64";
}

/** The subject an email address is counted as: its SHA-256, so KV holds no stranger's address. */
export async function emailSubject(email: string): Promise<string> {
  return await sha256Hex(`rate-limit:${email.trim().toLowerCase()}`);
}
