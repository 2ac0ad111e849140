/**
 * Passkeys (WebAuthn credentials) of people, and the single-use challenges of their ceremonies.
 * A passkey is kept twice, as memberships are: by its credential id (how a sign-in finds it)
 * and under its person (their list), always written in one commit that checks both records it
 * read, so a rename racing a sign-in's counter update is reported, never lost. A challenge is
 * used up with a get, check and delete in one commit: an assertion or attestation answers one
 * ceremony, once (a replayed one finds its challenge gone).
 */
import { ConflictError, NotFoundError } from "../lib/errors.ts";
import { type AuditBy, audited } from "./audit.ts";
import { newId, nowIso } from "./ids.ts";
import {
  passkeyByCredentialKey,
  passkeyKey,
  passkeysPrefix,
  webauthnChallengeKey,
} from "./keys.ts";

/** A person may keep this many passkeys (a phone, a laptop, a security key or two…). */
const MAX_PASSKEYS = 20;
/** How long a ceremony may take: WebAuthn's own timeout is 5 minutes by default. */
const CHALLENGE_MS = 5 * 60_000;

export interface Passkey {
  id: string;
  person_id: string;
  name: string;
  /** base64url, as WebAuthn names the credential. */
  credential_id: string;
  /** COSE public key. */
  public_key: Uint8Array;
  /** The authenticator's signature counter at its last use (0: it keeps none). */
  counter: number;
  transports: string[];
  /** `singleDevice` or `multiDevice` (synced by a password manager or platform). */
  device_type: string;
  backed_up: boolean;
  created_at: string;
  last_used_at: string | null;
}

export type NewPasskey = Omit<Passkey, "id" | "created_at" | "last_used_at">;

export async function listPasskeys(kv: Deno.Kv, personId: string): Promise<Passkey[]> {
  const passkeys: Passkey[] = [];
  for await (const entry of kv.list<Passkey>({ prefix: passkeysPrefix(personId) })) {
    passkeys.push(entry.value);
  }
  return passkeys;
}

/**
 * Keeps a newly registered passkey; 409 when the person has too many or it is known already.
 * A passkey is the person's, not an account's: `audit` names the account whose log records it
 * (the one their session acts for).
 */
export async function createPasskey(
  kv: Deno.Kv,
  input: NewPasskey,
  audit?: AuditBy,
): Promise<Passkey> {
  const existing = await listPasskeys(kv, input.person_id);
  if (existing.length >= MAX_PASSKEYS) {
    throw new ConflictError(
      `You have ${MAX_PASSKEYS} passkeys, the most one person may keep: remove one first`,
      "too_many_passkeys",
    );
  }
  const passkey: Passkey = { ...input, id: newId(), created_at: nowIso(), last_used_at: null };
  const op = kv.atomic()
    .check({ key: passkeyByCredentialKey(passkey.credential_id), versionstamp: null })
    .check({ key: passkeyKey(passkey.person_id, passkey.id), versionstamp: null })
    .set(passkeyByCredentialKey(passkey.credential_id), passkey)
    .set(passkeyKey(passkey.person_id, passkey.id), passkey);
  const result = await audited(op, audit, "passkey.add", {
    target: { type: "passkey", id: passkey.id },
    summary: { name: passkey.name },
  }).commit();
  if (!result.ok) throw new ConflictError("This passkey is registered already", "passkey_exists");
  return passkey;
}

/** The passkey with this credential id, with its read (for `recordPasskeyUse`). */
export async function findPasskey(
  kv: Deno.Kv,
  credentialId: string,
): Promise<Deno.KvEntryMaybe<Passkey>> {
  return await kv.get<Passkey>(passkeyByCredentialKey(credentialId));
}

/** Both records of one of the person's passkeys; 404 when it is not theirs. */
async function readBoth(kv: Deno.Kv, personId: string, passkeyId: string) {
  const mine = await kv.get<Passkey>(passkeyKey(personId, passkeyId));
  if (!mine.value) throw new NotFoundError(`No such passkey: "${passkeyId}"`, "passkey_not_found");
  const byCredential = await kv.get<Passkey>(passkeyByCredentialKey(mine.value.credential_id));
  return { mine, byCredential, passkey: mine.value };
}

/** Writes a changed passkey to both its records if neither changed since they were read. */
async function writeBoth(
  kv: Deno.Kv,
  read: Deno.KvEntryMaybe<Passkey>[],
  passkey: Passkey,
): Promise<boolean> {
  const result = await kv.atomic()
    .check(...read)
    .set(passkeyByCredentialKey(passkey.credential_id), passkey)
    .set(passkeyKey(passkey.person_id, passkey.id), passkey)
    .commit();
  return result.ok;
}

export async function renamePasskey(
  kv: Deno.Kv,
  personId: string,
  passkeyId: string,
  name: string,
): Promise<Passkey> {
  const { mine, byCredential, passkey } = await readBoth(kv, personId, passkeyId);
  const renamed = { ...passkey, name };
  if (!await writeBoth(kv, [mine, byCredential], renamed)) {
    throw new ConflictError("The passkey changed meanwhile: try again", "passkey_changed");
  }
  return renamed;
}

/** Removes one of the person's passkeys (404 when it is not theirs), logged like `createPasskey`. */
export async function deletePasskey(
  kv: Deno.Kv,
  personId: string,
  passkeyId: string,
  audit?: AuditBy,
): Promise<void> {
  for (;;) {
    // Checked reads: of two removals racing, one commits and the other finds it gone (404), so
    // the log records one removal.
    const { mine, byCredential, passkey } = await readBoth(kv, personId, passkeyId);
    const op = kv.atomic().check(mine, byCredential)
      .delete(passkeyByCredentialKey(passkey.credential_id))
      .delete(passkeyKey(personId, passkeyId));
    const result = await audited(op, audit, "passkey.remove", {
      target: { type: "passkey", id: passkeyId },
      summary: { name: passkey.name },
    }).commit();
    if (result.ok) return;
  }
}

/**
 * Notes a sign-in with the passkey: its new signature counter and the time. False when the
 * passkey changed since `read` (removed, or used by a concurrent sign-in): the caller refuses,
 * so one counter value never signs in twice.
 */
export async function recordPasskeyUse(
  kv: Deno.Kv,
  read: Deno.KvEntryMaybe<Passkey>,
  counter: number,
  now = Date.now(),
): Promise<boolean> {
  const passkey = read.value;
  if (!passkey) return false;
  const mine = await kv.get<Passkey>(passkeyKey(passkey.person_id, passkey.id));
  if (!mine.value) return false;
  return await writeBoth(kv, [read, mine], { ...passkey, counter, last_used_at: nowIso(now) });
}

export interface WebauthnChallenge {
  /** `register` or `signin`: a challenge of one ceremony never completes the other. */
  purpose: string;
  /** Registration: whose passkey it will be. Sign-in: null (the passkey says who). */
  person_id: string | null;
  expires_at: string;
}

/** Keeps a ceremony's challenge (random, from the library) for 5 minutes. */
export async function saveChallenge(
  kv: Deno.Kv,
  challenge: string,
  record: Omit<WebauthnChallenge, "expires_at">,
  now = Date.now(),
): Promise<void> {
  const key = webauthnChallengeKey(challenge);
  await kv.atomic()
    .check({ key, versionstamp: null })
    .set(key, { ...record, expires_at: nowIso(now + CHALLENGE_MS) }, { expireIn: CHALLENGE_MS })
    .commit();
}

/**
 * Uses up a challenge: true when it was issued for `purpose` (and, for registration, for
 * `personId`), is unexpired and was not used before.
 */
export async function consumeChallenge(
  kv: Deno.Kv,
  challenge: string,
  purpose: string,
  personId: string | null,
  now = Date.now(),
): Promise<boolean> {
  if (challenge.length < 16 || challenge.length > 128) return false;
  const key = webauthnChallengeKey(challenge);
  const entry = await kv.get<WebauthnChallenge>(key);
  if (!entry.value) return false;
  const result = await kv.atomic().check(entry).delete(key).commit();
  const { value } = entry;
  return result.ok && value.purpose === purpose && value.person_id === personId &&
    Date.parse(value.expires_at) > now;
}
