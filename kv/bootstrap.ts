/**
 * What a start needs before serving: the default account, the platform secret, and the
 * bootstrap token for automation. Every step is idempotent, so restarts change nothing.
 */
import type { Config } from "../config.ts";
import { randomBase62 } from "../lib/crypto.ts";
import { type Account, ensureDefaultAccount, registerBootstrapToken } from "./accounts.ts";
import { secretKey } from "./keys.ts";

export interface Bootstrapped {
  account: Account;
  secret: string;
}

async function ensureSecret(kv: Deno.Kv, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const existing = await kv.get<string>(secretKey());
  if (existing.value) return existing.value;
  const secret = randomBase62(43); // ≥ 256 bits
  const result = await kv.atomic().check(existing).set(secretKey(), secret).commit();
  return result.ok ? secret : (await kv.get<string>(secretKey())).value!;
}

export async function bootstrap(kv: Deno.Kv, config: Config): Promise<Bootstrapped> {
  const account = await ensureDefaultAccount(kv);
  if (config.bootstrapToken) await registerBootstrapToken(kv, account.id, config.bootstrapToken);
  return { account, secret: await ensureSecret(kv, config.secret) };
}
