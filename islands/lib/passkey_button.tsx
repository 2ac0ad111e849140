/**
 * "Sign in with a passkey": asks `POST /auth/passkey/options` for a WebAuthn challenge, lets the
 * browser's authenticator answer it (@simplewebauthn/browser) and sends the answer to
 * `POST /auth/passkey`, which starts the session.
 */
import { useState } from "preact/hooks";
import { apiError, postJson } from "./api.ts";

export default function PasskeyButton({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function signIn() {
    setBusy(true);
    setError(null);
    try {
      const { startAuthentication, browserSupportsWebAuthn } = await import(
        "@simplewebauthn/browser"
      );
      if (!browserSupportsWebAuthn()) throw new Error("This browser cannot use passkeys");
      const options = await postJson("/auth/passkey/options", {});
      if (!options.ok) throw new Error(await apiError(options));
      const answer = await startAuthentication({ optionsJSON: await options.json() });
      const result = await postJson("/auth/passkey", { response: answer, next });
      if (!result.ok) throw new Error(await apiError(result));
      location.assign(next);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" class="button wide" onClick={signIn} disabled={busy}>
        {busy ? "Waiting for your passkey…" : "Sign in with a passkey"}
      </button>
      {error && <p role="alert" class="error-text">{error}</p>}
    </>
  );
}
