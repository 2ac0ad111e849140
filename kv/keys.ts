/**
 * Every Deno KV key Switchyard uses is built here (STYLE "Shape": no key literal elsewhere),
 * so the whole data model reads in one screen. Ids are ULIDs: they sort by creation time, which
 * makes "newest first" a reverse list.
 */

// Platform
export const secretKey = () => ["platform", "secret"] as const;
export const defaultAccountKey = () => ["platform", "default_account"] as const;
export const firstTokenKey = () => ["platform", "first_token_issued"] as const;

// Accounts and API tokens
export const accountKey = (accountId: string) => ["account", accountId] as const;
export const tokenByHashKey = (tokenHash: string) => ["token_by_hash", tokenHash] as const;
export const accountTokenKey = (accountId: string, tokenId: string) =>
  ["account_token", accountId, tokenId] as const;
export const accountTokensPrefix = (accountId: string) => ["account_token", accountId] as const;

// Apps: the slug index is platform-wide so a slug is unique across accounts.
export const appKey = (appId: string) => ["app", appId] as const;
export const appBySlugKey = (slug: string) => ["app_by_slug", slug] as const;
export const accountAppKey = (accountId: string, appId: string) =>
  ["account_app", accountId, appId] as const;
export const accountAppsPrefix = (accountId: string) => ["account_app", accountId] as const;

// Versions: numbered 1, 2, 3… per app by a counter checked at each create.
export const versionCounterKey = (appId: string) => ["version_counter", appId] as const;
export const versionKey = (appId: string, number: number) => ["version", appId, number] as const;
export const versionsPrefix = (appId: string) => ["version", appId] as const;

// Manifests: immutable pages of file entries, keyed by a manifest id (not the version number)
// so an install can write them before it owns a number, and a failed one leaves only garbage.
export const manifestPageKey = (appId: string, manifestId: string, page: number) =>
  ["manifest", appId, manifestId, page] as const;
export const manifestPrefix = (appId: string, manifestId: string) =>
  ["manifest", appId, manifestId] as const;

// Blobs: content-addressed per account (no cross-tenant dedup), chunked under the 64 KiB cap.
// The meta key is written in or after the commit holding the last chunk: its presence means
// the whole blob is there.
export const blobMetaKey = (accountId: string, sha256: string) =>
  ["blob", accountId, sha256] as const;
export const blobChunkKey = (accountId: string, sha256: string, index: number) =>
  ["blob_chunk", accountId, sha256, index] as const;
export const blobChunksPrefix = (accountId: string, sha256?: string) =>
  sha256 === undefined
    ? ["blob_chunk", accountId] as const
    : ["blob_chunk", accountId, sha256] as const;
export const blobsPrefix = (accountId: string) => ["blob", accountId] as const;

// Going live: one mutable record per app, plus its append-only release history.
export const liveKey = (appId: string) => ["live", appId] as const;
export const releaseKey = (appId: string, seq: number) => ["release", appId, seq] as const;
export const releasesPrefix = (appId: string) => ["release", appId] as const;

// Test links: private previews of a version in the live environment, by token.
export const linkKey = (appId: string, linkId: string) => ["link", appId, linkId] as const;
export const linksPrefix = (appId: string) => ["link", appId] as const;
export const linkByHashKey = (tokenHash: string) => ["link_by_hash", tokenHash] as const;
export const linkVisitsKey = (appId: string, linkId: string) =>
  ["link_visits", appId, linkId] as const;

// Runtime settings of an app
export const settingsKey = (appId: string, part: "values" | "script" | "css") =>
  ["settings", appId, part] as const;
export const settingsPrefix = (appId: string) => ["settings", appId] as const;

// Aggregated counters
export const counterKey = (
  appId: string,
  version: number,
  mode: string,
  day: string,
  name: string,
) => ["counter", appId, version, mode, day, name] as const;
export const countersPrefix = (appId: string) => ["counter", appId] as const;
/** Marks a written batch of counter sums for a day, so a retried batch is not added twice. */
export const counterFlushKey = (batchId: string) => ["counter_flush", batchId] as const;

// Garbage collection: a blob no version references is first marked, and deleted by a later
// sweep only if still unreferenced; the sweep itself takes a platform-wide lock.
export const gcCandidateKey = (accountId: string, sha256: string) =>
  ["gc_candidate", accountId, sha256] as const;
export const gcCandidatesPrefix = (accountId: string) => ["gc_candidate", accountId] as const;
export const gcLockKey = () => ["platform", "gc_lock"] as const;
export const gcGenerationKey = () => ["platform", "gc_generation"] as const;
export const accountsPrefix = () => ["account"] as const;
export const manifestsPrefix = (appId: string) => ["manifest", appId] as const;

// People and membership: a person (who signs in) belongs to accounts with a role. Both
// directions are kept, written in one commit: an account lists its members, a person the
// accounts it may switch between.
export const personKey = (personId: string) => ["person", personId] as const;
/** Emails lowercased: one person per address. */
export const personByEmailKey = (email: string) => ["person_by_email", email] as const;
export const memberKey = (accountId: string, personId: string) =>
  ["member", accountId, personId] as const;
export const membersPrefix = (accountId: string) => ["member", accountId] as const;
export const membershipKey = (personId: string, accountId: string) =>
  ["membership", personId, accountId] as const;
export const membershipsPrefix = (personId: string) => ["membership", personId] as const;
/** The person who owns the default account from its first start (the sign-in link's person). */
export const defaultOwnerKey = () => ["platform", "default_owner"] as const;

// Sessions: by the SHA-256 of the cookie's id (a KV dump holds no usable session), and listed
// per person for "sign out of every device".
export const sessionKey = (sessionHash: string) => ["session", sessionHash] as const;
export const personSessionKey = (personId: string, sessionHash: string) =>
  ["person_session", personId, sessionHash] as const;
export const personSessionsPrefix = (personId: string) => ["person_session", personId] as const;

// One-time sign-in links, by the SHA-256 of their secret; consumed with get-check-delete.
export const signInLinkKey = (linkHash: string) => ["signin_link", linkHash] as const;

// OAuth sign-in in flight: the one-time `state` (by its SHA-256) with its PKCE verifier and
// nonce, consumed with get-check-delete when the provider sends the browser back.
export const oauthStateKey = (stateHash: string) => ["oauth_state", stateHash] as const;

// Passkeys (WebAuthn credentials): found by credential id when one signs in, listed per person
// for their settings; both records written in one commit. Challenges are single-use, by value.
export const passkeyByCredentialKey = (credentialId: string) =>
  ["passkey_credential", credentialId] as const;
export const passkeyKey = (personId: string, passkeyId: string) =>
  ["passkey", personId, passkeyId] as const;
export const passkeysPrefix = (personId: string) => ["passkey", personId] as const;
export const webauthnChallengeKey = (challenge: string) =>
  ["webauthn_challenge", challenge] as const;

// Invitations to join an account: listed under the account, found by the SHA-256 of the link's
// secret (consumed with get-check-delete), and one pending per email (a new one replaces it).
export const invitationKey = (accountId: string, invitationId: string) =>
  ["invitation", accountId, invitationId] as const;
export const invitationsPrefix = (accountId: string) => ["invitation", accountId] as const;
export const invitationByHashKey = (secretHash: string) =>
  ["invitation_by_hash", secretHash] as const;
export const invitationByEmailKey = (accountId: string, email: string) =>
  ["invitation_by_email", accountId, email] as const;
// Commerce (per account): the catalog, shoppers' limited tokens, carts, payments and orders.
export const productKey = (accountId: string, productId: string) =>
  ["product", accountId, productId] as const;
export const productsPrefix = (accountId: string) => ["product", accountId] as const;
export const shoppingOptionsKey = (accountId: string) => ["shopping_options", accountId] as const;
/** A limited shopper token by its SHA-256; it expires with the token (`expireIn`). */
export const shopperTokenKey = (tokenHash: string) => ["shopper_token", tokenHash] as const;
export const cartKey = (accountId: string, cartId: string) => ["cart", accountId, cartId] as const;
export const paymentKey = (accountId: string, paymentId: string) =>
  ["payment", accountId, paymentId] as const;
export const orderKey = (accountId: string, orderId: string) =>
  ["order", accountId, orderId] as const;
export const ordersPrefix = (accountId: string) => ["order", accountId] as const;
/** An app's orders (the order id), so the merchant lists one app's without the account's. */
export const appOrderKey = (appId: string, orderId: string) =>
  ["app_order", appId, orderId] as const;
export const appOrdersPrefix = (appId: string) => ["app_order", appId] as const;
/** A payment request's `Idempotency-Key`, per shopper token: its first result, kept 24 h. */
export const idempotencyKey = (accountId: string, tokenId: string, key: string) =>
  ["idempotency", accountId, tokenId, key] as const;

// Audit log: every change an account makes, per account by ULID (newest first is a reverse
// list), with two indexes written in the same commit so the API's `app` and `actor` filters
// page exactly instead of scanning the whole log.
export const auditKey = (accountId: string, entryId: string) =>
  ["audit", accountId, entryId] as const;
export const auditPrefix = (accountId: string) => ["audit", accountId] as const;
export const auditByAppKey = (accountId: string, appId: string, entryId: string) =>
  ["audit_by_app", accountId, appId, entryId] as const;
export const auditByAppPrefix = (accountId: string, appId: string) =>
  ["audit_by_app", accountId, appId] as const;
export const auditByActorKey = (accountId: string, actorId: string, entryId: string) =>
  ["audit_by_actor", accountId, actorId, entryId] as const;
export const auditByActorPrefix = (accountId: string, actorId: string) =>
  ["audit_by_actor", accountId, actorId] as const;

// Rate limits: one fixed-window counter per limit and subject (an IP address or /64, a hashed
// email), kept in KV so every process and region counts together; `expireIn` drops it when
// its window ends.
export const rateLimitKey = (limit: string, subject: string) =>
  ["rate_limit", limit, subject] as const;
