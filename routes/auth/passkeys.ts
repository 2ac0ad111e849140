/**
 * Passkeys: a signed-in person registers them (`/auth/passkeys…`) and later signs in with one
 * alone (`/auth/passkey…`, discoverable credentials: no email typed, the authenticator says
 * who). The WebAuthn checks are @simplewebauthn/server's; here are the ceremonies' single-use
 * challenges (kv/passkeys.ts), the relying party (the platform host and URL), and the rule that
 * the authenticator verified its user (a PIN or biometric), since the passkey is the only factor.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { Hono } from "hono";
import { z } from "zod";
import type { Config } from "../../config.ts";
import { getPerson, listMemberships } from "../../kv/people.ts";
import {
  consumeChallenge,
  createPasskey,
  deletePasskey,
  findPasskey,
  listPasskeys,
  type Passkey,
  recordPasskeyUse,
  renamePasskey,
  saveChallenge,
} from "../../kv/passkeys.ts";
import { base64url } from "../../lib/crypto.ts";
import { UnauthenticatedError, ValidationError } from "../../lib/errors.ts";
import { platformUrl } from "../../lib/urls.ts";
import { limitAuthBody, readBody } from "./body.ts";
import type { AuthEnv } from "./env.ts";
import { challengeOf, credentialJson, signedInPerson } from "./passkey_input.ts";
import { assertSameOrigin } from "./session.ts";
import { safeNext, startSession } from "./sign_in.ts";

const RP_NAME = "Switchyard";
const Name = z.string().trim().min(1).max(60);
const RegisterBody = z.object({ name: Name, response: credentialJson });
const SignInBody = z.object({ response: credentialJson, next: z.string().max(2048).optional() });

/** What the person's list shows of a passkey (never its key). */
function view(passkey: Passkey) {
  return {
    id: passkey.id,
    name: passkey.name,
    created_at: passkey.created_at,
    last_used_at: passkey.last_used_at,
    device_type: passkey.device_type,
    backed_up: passkey.backed_up,
  };
}

export function passkeyRoutes(kv: Deno.Kv, config: Config): Hono<AuthEnv> {
  const routes = new Hono<AuthEnv>();
  const rp = () => ({ rpID: config.platformHost, origin: platformUrl(config) });
  routes.use("/passkey/*", limitAuthBody);
  routes.use("/passkey", limitAuthBody);
  routes.use("/passkeys/*", limitAuthBody);
  // Every request that changes anything, signed in or not, comes from our own pages.
  for (const path of ["/passkey", "/passkey/*", "/passkeys", "/passkeys/*"]) {
    routes.use(path, (c, next) => {
      assertSameOrigin(c);
      return next();
    });
  }

  routes.get("/passkeys", async (c) => {
    const open = await signedInPerson(c);
    const passkeys = await listPasskeys(kv, open.session.person_id);
    return c.json({ items: passkeys.map(view) });
  });

  routes.post("/passkeys/register/options", async (c) => {
    const open = await signedInPerson(c);
    const person = await getPerson(kv, open.session.person_id);
    if (!person) throw new UnauthenticatedError("Sign in first", "not_signed_in");
    const existing = await listPasskeys(kv, person.id);
    const options = await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: rp().rpID,
      userName: person.email ?? person.name,
      userDisplayName: person.name,
      userID: new TextEncoder().encode(person.id),
      attestationType: "none",
      // The same authenticator twice would be one passkey under two names.
      excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: p.transports })),
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
    });
    await saveChallenge(kv, options.challenge, {
      purpose: "register",
      person_id: person.id,
    }, config.now());
    return c.json(options);
  });

  routes.post("/passkeys/register", async (c) => {
    const open = await signedInPerson(c);
    const body = await readBody(c, RegisterBody);
    const personId = open.session.person_id;
    const challenge = challengeOf(body.response);
    if (!await consumeChallenge(kv, challenge, "register", personId, config.now())) {
      throw challengeRefused();
    }
    const verification = await verifyRegistrationResponse({
      // deno-lint-ignore no-explicit-any -- shape checked by the library itself
      response: body.response as any,
      expectedChallenge: challenge,
      expectedOrigin: rp().origin,
      expectedRPID: rp().rpID,
      requireUserVerification: true,
    }).catch((error) => {
      throw new ValidationError(
        `The passkey could not be registered: ${error.message}`,
        undefined,
        "passkey_invalid",
      );
    });
    if (!verification.verified) {
      throw new ValidationError("The passkey could not be verified", undefined, "passkey_invalid");
    }
    const info = verification.registrationInfo;
    const passkey = await createPasskey(kv, {
      person_id: personId,
      name: body.name,
      credential_id: info.credential.id,
      public_key: info.credential.publicKey,
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      device_type: info.credentialDeviceType,
      backed_up: info.credentialBackedUp,
    });
    return c.json(view(passkey), 201);
  });

  routes.patch("/passkeys/:id", async (c) => {
    const open = await signedInPerson(c);
    const { name } = await readBody(c, z.object({ name: Name }));
    const passkey = await renamePasskey(kv, open.session.person_id, c.req.param("id"), name);
    return c.json(view(passkey));
  });

  routes.delete("/passkeys/:id", async (c) => {
    const open = await signedInPerson(c);
    await deletePasskey(kv, open.session.person_id, c.req.param("id"));
    return c.body(null, 204);
  });

  routes.post("/passkey/options", async (c) => {
    const options = await generateAuthenticationOptions({
      rpID: rp().rpID,
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
    const challenge = challengeOf(body.response);
    if (!await consumeChallenge(kv, challenge, "signin", null, config.now())) {
      throw challengeRefused();
    }
    const read = await findPasskey(kv, body.response.id);
    const passkey = read.value;
    if (!passkey) {
      throw new UnauthenticatedError(
        "This passkey is not registered here (it may have been removed): sign in another way",
        "passkey_unknown",
      );
    }
    const userHandle = (body.response.response as { userHandle?: unknown }).userHandle;
    if (
      typeof userHandle === "string" &&
      userHandle !== base64url(new TextEncoder().encode(passkey.person_id))
    ) {
      throw passkeyRefused("the passkey names another person");
    }
    const verification = await verifyAuthenticationResponse({
      // deno-lint-ignore no-explicit-any -- shape checked by the library itself
      response: body.response as any,
      expectedChallenge: challenge,
      expectedOrigin: rp().origin,
      expectedRPID: rp().rpID,
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

function challengeRefused(): UnauthenticatedError {
  return new UnauthenticatedError(
    "This passkey ceremony is unknown, already used or expired: start again",
    "passkey_challenge_invalid",
  );
}

function passkeyRefused(why: string): UnauthenticatedError {
  return new UnauthenticatedError(`The passkey was not accepted: ${why}`, "passkey_refused");
}
