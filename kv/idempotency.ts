/**
 * `Idempotency-Key` on payment creation, as Stripe does it. The first request with a key claims
 * it (a create that checks `versionstamp: null`), and its result is kept 24 hours; a retry with
 * the same key and the same body gets that result again, and one with another body is refused.
 * A request that finds the key claimed but unfinished waits for the result, so any number of
 * identical requests at once make one charge. The body is known only by an HMAC of it (it holds
 * a card number).
 */
import { BadRequestError, ConflictError } from "../lib/errors.ts";
import { idempotencyKey } from "./keys.ts";

const IDEMPOTENCY_MS = 24 * 3600 * 1000;
/** A claim whose request died (a crashed process) is taken over after this. */
const STALE_CLAIM_MS = 60_000;
const WAIT_MS = 30_000;

/** The answer a request got, kept for its retries. */
export interface StoredResult {
  status: number;
  body: unknown;
}

interface IdempotencyRecord {
  fingerprint: string;
  started: number;
  result: StoredResult | null;
}

export interface IdempotencyScope {
  accountId: string;
  tokenId: string;
  key: string;
}

const keyOf = (scope: IdempotencyScope) =>
  idempotencyKey(scope.accountId, scope.tokenId, scope.key);

/** This request's own claim: what `releaseKey` may delete, and nothing else. */
export interface Claim {
  versionstamp: string;
}

/**
 * Claims the key for a request whose body has `fingerprint`: `{claim}` when claimed (go ahead,
 * then store the result with `storeResult`, or give the claim up with `releaseKey`), or
 * `{result}`, the first request's (waited for when it is still running). Refuses a key used with
 * another body.
 */
export async function claimKey(
  kv: Deno.Kv,
  scope: IdempotencyScope,
  fingerprint: string,
  now: () => number,
): Promise<{ claim: Claim; result?: undefined } | { result: StoredResult; claim?: undefined }> {
  const key = keyOf(scope);
  const deadline = now() + WAIT_MS;
  for (let pause = 5;; pause = Math.min(pause * 2, 100)) {
    const entry = await kv.get<IdempotencyRecord>(key);
    const record = entry.value;
    if (record && record.fingerprint !== fingerprint) {
      throw new BadRequestError(
        `Idempotency key was used with another request body: "${scope.key}"`,
        "idempotency_key_reused",
      );
    }
    if (record?.result) return { result: record.result };
    if (!record || now() - record.started > STALE_CLAIM_MS) {
      const claim: IdempotencyRecord = { fingerprint, started: now(), result: null };
      const ok = await kv.atomic().check(entry).set(key, claim, { expireIn: IDEMPOTENCY_MS })
        .commit();
      if (ok.ok) return { claim: { versionstamp: ok.versionstamp } };
      continue;
    }
    if (now() > deadline) {
      throw new ConflictError(
        `A request with this idempotency key is still in progress: "${scope.key}"`,
        "idempotency_key_in_progress",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** Adds the storing of `result` for the claimed key to `op` (the purchase's own commit). */
export function storeResultIn(
  op: Deno.AtomicOperation,
  scope: IdempotencyScope,
  fingerprint: string,
  result: StoredResult,
  now: number,
): void {
  const record: IdempotencyRecord = { fingerprint, started: now, result };
  op.set(keyOf(scope), record, { expireIn: IDEMPOTENCY_MS });
}

/** Stores `result` for the claimed key on its own (a refused payment). */
export async function storeResult(
  kv: Deno.Kv,
  scope: IdempotencyScope,
  fingerprint: string,
  result: StoredResult,
  now: number,
): Promise<void> {
  const op = kv.atomic();
  storeResultIn(op, scope, fingerprint, result, now);
  await op.commit();
}

/**
 * Gives the key up (the request failed before any charge), so a retry starts afresh; only while
 * the record is still this request's claim. A claim gone stale may have been taken over by a
 * retry that charged and stored its result since: that record is the retry's, and stays.
 */
export async function releaseKey(
  kv: Deno.Kv,
  scope: IdempotencyScope,
  claim: Claim,
): Promise<boolean> {
  const key = keyOf(scope);
  const result = await kv.atomic().check({ key, versionstamp: claim.versionstamp }).delete(key)
    .commit();
  return result.ok;
}
