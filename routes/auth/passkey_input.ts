/**
 * What the passkey endpoints read from a request: the browser's credential JSON (as
 * @simplewebauthn/browser sends it, bounded before the library parses it), the challenge it
 * answers, the signed-in person registering or managing passkeys — and the relying party they
 * all speak for.
 */
import type { Context, MiddlewareHandler } from "hono";
import { z } from "zod";
import type { Config } from "../../config.ts";
import type { OpenSession } from "../../kv/sessions.ts";
import { BadRequestError, UnauthenticatedError } from "../../lib/errors.ts";
import type { SessionEnv } from "./cookie.ts";
import { platformUrl } from "../../lib/urls.ts";
import { assertSameOrigin, currentSession } from "./session.ts";

const base64url = z.string().regex(/^[A-Za-z0-9_-]*$/, "must be base64url").max(16_384);

/** `RegistrationResponseJSON` or `AuthenticationResponseJSON`; the library checks the rest. */
export const credentialJson = z.looseObject({
  // A credential id is at most 1023 bytes (WebAuthn §5.8.3): 1364 base64url characters.
  id: base64url.min(1).max(1364),
  rawId: base64url,
  type: z.literal("public-key"),
  response: z.looseObject({ clientDataJSON: base64url.min(1) }),
});

export type CredentialJson = z.infer<typeof credentialJson>;

/** The challenge a response answers, from its client data (WebAuthn §5.8.1). */
export function challengeOf(credential: CredentialJson): string {
  try {
    const text = atob(
      credential.response.clientDataJSON.replaceAll("-", "+").replaceAll("_", "/"),
    );
    const challenge = JSON.parse(text).challenge;
    if (typeof challenge === "string") return challenge;
  } catch {
    // Reported below, as one refusal.
  }
  throw new BadRequestError(
    'The credential\'s "clientDataJSON" is not WebAuthn client data',
    "passkey_malformed",
  );
}

/** The signed-in browser's session; 401 when there is none. */
export async function signedInPerson<E extends SessionEnv>(c: Context<E>): Promise<OpenSession> {
  const open = await currentSession(c);
  if (!open) {
    throw new UnauthenticatedError("Sign in first to manage your passkeys", "not_signed_in");
  }
  return open;
}

/** The relying party: the platform host (WebAuthn's RP id) and the platform's origin. */
export function relyingParty(config: Config): { rpID: string; origin: string } {
  return { rpID: config.platformHost, origin: platformUrl(config) };
}

/** Every passkey request that changes anything, signed in or not, comes from our own pages. */
export const sameOriginOnly: MiddlewareHandler<SessionEnv> = (c, next) => {
  assertSameOrigin(c);
  return next();
};

export function challengeRefused(): UnauthenticatedError {
  return new UnauthenticatedError(
    "This passkey ceremony is unknown, already used or expired: start again",
    "passkey_challenge_invalid",
  );
}

/**
 * @simplewebauthn/server, loaded at the first passkey ceremony rather than with the platform:
 * importing it takes ≈ 170 ms here (its ASN.1 and COSE parsers), more than the rest of the
 * platform's routes together, and most platform requests never need it.
 */
export function webauthn(): Promise<typeof import("@simplewebauthn/server")> {
  return import("@simplewebauthn/server");
}
