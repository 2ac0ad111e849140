/**
 * A signed-in person's passkeys (`/auth/passkeys…`): register one (options, then the browser's
 * attestation), list, rename, remove. The WebAuthn checks are @simplewebauthn/server's; the
 * registration challenge is single-use in KV and bound to the person who asked for it, and the
 * authenticator must verify its user (a PIN or biometric), since a passkey later signs in alone
 * (passkey_sign_in.ts).
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { Config } from "../../config.ts";
import type { AuditBy } from "../../kv/audit.ts";
import { getPerson } from "../../kv/people.ts";
import type { OpenSession } from "../../kv/sessions.ts";
import {
  consumeChallenge,
  createPasskey,
  deletePasskey,
  listPasskeys,
  type NewPasskey,
  type Passkey,
  renamePasskey,
  saveChallenge,
} from "../../kv/passkeys.ts";
import { UnauthenticatedError, ValidationError } from "../../lib/errors.ts";
import { limitAuthBody, readBody } from "./body.ts";
import type { AuthEnv } from "./env.ts";
import { requestAddress } from "./sign_in.ts";
import {
  challengeOf,
  challengeRefused,
  type CredentialJson,
  credentialJson,
  relyingParty,
  sameOriginOnly,
  signedInPerson,
  webauthn,
} from "./passkey_input.ts";

const RP_NAME = "Switchyard";
const Name = z.string().trim().min(1).max(60);
const RegisterBody = z.object({ name: Name, response: credentialJson });

/**
 * Who changes a passkey, for the audit log: the signed-in person, recorded in the account their
 * session acts for (a passkey belongs to the person, whichever account they are in).
 */
function sessionAudit(c: Context<AuthEnv>, open: OpenSession): AuditBy {
  const { session } = open;
  const actor = { type: "person" as const, id: session.person_id, name: session.name };
  return { accountId: session.account_id, actor, ip: requestAddress(c) };
}

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
  routes.use("/passkeys", sameOriginOnly);
  routes.use("/passkeys/*", sameOriginOnly, limitAuthBody);

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
    const { generateRegistrationOptions } = await webauthn();
    const options = await generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: relyingParty(config).rpID,
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
    const credential = await verifiedCredential(config, challenge, body.response);
    const passkey = await createPasskey(kv, {
      ...credential,
      person_id: personId,
      name: body.name,
    }, sessionAudit(c, open));
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
    await deletePasskey(kv, open.session.person_id, c.req.param("id"), sessionAudit(c, open));
    return c.body(null, 204);
  });

  return routes;
}

/** The credential an attestation registers, once the library has checked it; 422 if not. */
async function verifiedCredential(
  config: Config,
  challenge: string,
  response: CredentialJson,
): Promise<Omit<NewPasskey, "person_id" | "name">> {
  const { origin, rpID } = relyingParty(config);
  const { verifyRegistrationResponse } = await webauthn();
  const verification = await verifyRegistrationResponse({
    // deno-lint-ignore no-explicit-any -- bounded by credentialJson; the library checks the rest
    response: response as any,
    expectedChallenge: challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
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
  return {
    credential_id: info.credential.id,
    public_key: info.credential.publicKey,
    counter: info.credential.counter,
    transports: info.credential.transports ?? [],
    device_type: info.credentialDeviceType,
    backed_up: info.credentialBackedUp,
  };
}
