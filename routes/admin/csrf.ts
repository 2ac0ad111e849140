/**
 * Synchronizer tokens for the admin's forms (OWASP CSRF cheat sheet): an HMAC of the session's
 * hash under the platform secret, so it is fixed for a session, needs no storage and is worth
 * nothing in another session. Checked on every admin form post, after `assertSameOrigin` (Fetch
 * Metadata), as a second line: a browser too old for Sec-Fetch-Site and Origin still can't forge it.
 */
import { HmacSigner, timingSafeEqual } from "../../lib/crypto.ts";
import { ForbiddenError } from "../../lib/errors.ts";

/** The name of the hidden field every admin form carries. */
export const CSRF_FIELD = "_csrf";

const signers = new Map<string, HmacSigner>();

function signerFor(secret: string): HmacSigner {
  let signer = signers.get(secret);
  if (!signer) signers.set(secret, signer = new HmacSigner(`admin-form:${secret}`));
  return signer;
}

export async function csrfToken(secret: string, sessionHash: string): Promise<string> {
  return await signerFor(secret).sign(sessionHash);
}

export async function assertCsrf(
  secret: string,
  sessionHash: string,
  sent: FormDataEntryValue | null,
): Promise<void> {
  const expected = await csrfToken(secret, sessionHash);
  if (typeof sent !== "string" || !timingSafeEqual(sent, expected)) {
    throw new ForbiddenError(
      "This form is out of date or did not come from this admin: reload the page and try again",
      "csrf_token_invalid",
    );
  }
}
