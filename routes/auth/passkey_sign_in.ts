/**
 * Signing in with a passkey alone (`POST /auth/passkey/options`, then `POST /auth/passkey`):
 * discoverable credentials, so no email is typed — the authenticator says whose passkey it is.
 * The challenge is used up before anything else is looked at, so an assertion works once; the
 * signature counter must move on (a clone of the authenticator shows up as one going back), and
 * the use is recorded in a commit that checks the passkey has not changed since it was read.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { Config } from "../../config.ts";
import { getPerson, listMemberships } from "../../kv/people.ts";
import {
  consumeChallenge,
  findPasskey,
  type Passkey,
  recordPasskeyUse,
  saveChallenge,
} from "../../kv/passkeys.ts";
import { base64url } from "../../lib/crypto.ts";
import { UnauthenticatedError } from "../../lib/errors.ts";
import { limitAuthBody, readBody } from "./body.ts";
import type { AuthEnv } from "./env.ts";
import { limitSignInAttempts, limitSignInStarts } from "./limits.ts";
import {
  challengeOf,
  challengeRefused,
  type CredentialJson,
  credentialJson,
  relyingParty,
  sameOriginOnly,
  webauthn,
} from "./passkey_input.ts";
import { safeNext, startSession } from "./sign_in.ts";

const SignInBody = z.object({ response: credentialJson, next: z.string().max(2048).optional() });

export function passkeySignInRoutes(kv: Deno.Kv, config: Config): Hono<AuthEnv> {
  const routes = new Hono<AuthEnv>();
  // Refused assertions (and options asked for by an address past its failures) count as failed
  // sign-ins per address (limits.ts): guessing at passkeys is held up like guessing at links.
  // (`/passkey/*` matches `/passkey` as well: registered once, so a failure counts once.)
  routes.use("/passkey/*", limitSignInAttempts);
  routes.use("/passkey", sameOriginOnly, limitAuthBody);
  routes.use("/passkey/*", sameOriginOnly, limitAuthBody);

  routes.post("/passkey/options", limitSignInStarts, async (c) => {
    const { generateAuthenticationOptions } = await webauthn();
    const options = await generateAuthenticationOptions({
      rpID: relyingParty(config).rpID,
      // Empty: the browser offers whichever passkey of this site the person picks.
      allowCredentials: [],
      userVerification: "required",
    });
    await saveChallenge(
      kv,
      options.challenge,
      { purpose: "signin", person_id: null },
      config.now(),
    );
    return c.json(options);
  });

  routes.post("/passkey", async (c) => {
    const body = await readBody(c, SignInBody);
    const passkey = await verifiedPasskey(kv, config, body.response);
    const person = await getPerson(kv, passkey.person_id);
    const memberships = person ? await listMemberships(kv, person.id) : [];
    if (!person || memberships.length === 0) {
      throw new UnauthenticatedError("This person belongs to no account", "no_account");
    }
    await startSession(c, {
      personId: person.id,
      accountId: memberships[0].account_id,
      name: person.name,
      method: "passkey",
    });
    return c.json({ next: safeNext(body.next) });
  });
  return routes;
}

/** The passkey an assertion proves, its use recorded; a 401 for anything off. */
async function verifiedPasskey(
  kv: Deno.Kv,
  config: Config,
  response: CredentialJson,
): Promise<Passkey> {
  const challenge = challengeOf(response);
  if (!await consumeChallenge(kv, challenge, "signin", null, config.now())) {
    throw challengeRefused();
  }
  const read = await findPasskey(kv, response.id);
  const passkey = read.value;
  if (!passkey) {
    throw new UnauthenticatedError(
      "This passkey is not registered here (it may have been removed): sign in another way",
      "passkey_unknown",
    );
  }
  const userHandle = (response.response as { userHandle?: unknown }).userHandle;
  if (
    typeof userHandle === "string" &&
    userHandle !== base64url(new TextEncoder().encode(passkey.person_id))
  ) {
    throw passkeyRefused("the passkey names another person");
  }
  const { origin, rpID } = relyingParty(config);
  const { verifyAuthenticationResponse } = await webauthn();
  const verification = await verifyAuthenticationResponse({
    // deno-lint-ignore no-explicit-any -- bounded by credentialJson; the library checks the rest
    response: response as any,
    expectedChallenge: challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    credential: {
      id: passkey.credential_id,
      publicKey: new Uint8Array(passkey.public_key),
      counter: passkey.counter,
      transports: passkey.transports,
    },
    requireUserVerification: true,
  }).catch((error) => {
    throw passkeyRefused(error.message);
  });
  if (!verification.verified) throw passkeyRefused("its signature does not verify");
  const counter = verification.authenticationInfo.newCounter;
  if (!await recordPasskeyUse(kv, read, counter, config.now())) {
    throw passkeyRefused("it was used or changed at the same moment");
  }
  return passkey;
}

function passkeyRefused(why: string): UnauthenticatedError {
  return new UnauthenticatedError(`The passkey was not accepted: ${why}`, "passkey_refused");
}
