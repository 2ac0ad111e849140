/**
 * What a start needs before serving: the default account, the platform secret, and the
 * bootstrap token for automation. Every step is idempotent, so restarts change nothing.
 */
import { randomBase62 } from "../lib/crypto.ts";
import {
  type Account,
  createToken,
  ensureDefaultAccount,
  registerBootstrapToken,
} from "./accounts.ts";
import { defaultAccountKey, firstTokenKey, secretKey } from "./keys.ts";
import { ensureDefaultOwner, type Person } from "./people.ts";

export interface Bootstrapped {
  account: Account;
  /** The default account's first owner: whom the start-up sign-in link signs in. */
  owner: Person;
  secret: string;
  /**
   * An owner API token made at the very first start when no bootstrap token is configured, so a
   * newcomer can use the API at once. Shown once (the start-up log), stored only as a hash.
   */
  firstToken: string | null;
}

/**
 * What a start reads before it listens, in one round trip: the platform secret (the configured
 * one, else the one kept in KV, made on the very first start; the edge needs it before any
 * request) and whether this KV was bootstrapped before (its default account exists).
 */
export async function startState(
  kv: Deno.Kv,
  configured: string | undefined,
): Promise<{ secret: string; bootstrapped: boolean }> {
  const [secret, account] = await kv.getMany<[string, unknown]>([secretKey(), defaultAccountKey()]);
  return {
    secret: await secretFrom(kv, configured, secret),
    bootstrapped: account.versionstamp !== null,
  };
}

async function ensureSecret(kv: Deno.Kv, configured: string | undefined): Promise<string> {
  return configured ?? await secretFrom(kv, configured, await kv.get<string>(secretKey()));
}

/** The platform secret: the configured one, else the one in KV, made when there is none yet. */
async function secretFrom(
  kv: Deno.Kv,
  configured: string | undefined,
  stored: Deno.KvEntryMaybe<string>,
): Promise<string> {
  return configured || stored.value || await makeSecret(kv, stored);
}

async function makeSecret(kv: Deno.Kv, existing: Deno.KvEntryMaybe<string>): Promise<string> {
  const secret = randomBase62(43); // ≥ 256 bits
  const result = await kv.atomic().check(existing).set(secretKey(), secret).commit();
  return result.ok ? secret : (await kv.get<string>(secretKey())).value!;
}

/** One first-start token per platform, whichever instance starts first (a checked marker). */
async function issueFirstToken(kv: Deno.Kv, accountId: string): Promise<string | null> {
  const marked = await kv.atomic().check({ key: firstTokenKey(), versionstamp: null })
    .set(firstTokenKey(), new Date().toISOString()).commit();
  if (!marked.ok) return null;
  return (await createToken(kv, accountId, "first start")).token;
}

/** The start-up settings bootstrap reads (a subset of the program's configuration). */
export interface BootstrapSettings {
  bootstrapToken?: string;
  secret?: string;
}

export async function bootstrap(kv: Deno.Kv, config: BootstrapSettings): Promise<Bootstrapped> {
  const account = await ensureDefaultAccount(kv);
  const owner = await ensureDefaultOwner(kv, account.id);
  if (config.bootstrapToken) await registerBootstrapToken(kv, account.id, config.bootstrapToken);
  const firstToken = config.bootstrapToken ? null : await issueFirstToken(kv, account.id);
  return { account, owner, secret: await ensureSecret(kv, config.secret), firstToken };
}
