/**
 * The signed-in person's passkeys (`/auth/passkeys`): add one with this device's authenticator
 * (@simplewebauthn/browser runs the WebAuthn ceremony), see when each was last used, remove one.
 */
import { useEffect, useState } from "preact/hooks";
import { apiError, postJson } from "./lib/api.ts";
import { Ago, type Clock, Failed, type Load } from "./lib/loading.tsx";

export interface Passkey {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  device_type: string;
  backed_up: boolean;
}

async function listPasskeys(): Promise<Passkey[]> {
  const response = await fetch("/auth/passkeys", {
    credentials: "same-origin",
    headers: { accept: "application/json" },
  });
  if (!response.ok) throw new Error(await apiError(response));
  return (await response.json() as { items: Passkey[] }).items;
}

/** Runs the registration ceremony; null when it worked, else what went wrong in words. */
async function register(name: string): Promise<string | null> {
  const options = await postJson("/auth/passkeys/register/options", {});
  if (!options.ok) return await apiError(options);
  let response;
  try {
    // Loaded on the click, not with the page: most visits only read the list.
    const { startRegistration } = await import("@simplewebauthn/browser");
    response = await startRegistration({ optionsJSON: await options.json() });
  } catch (error) {
    const e = error as Error;
    return e.name === "NotAllowedError"
      ? "The passkey was not made: the prompt was closed or timed out"
      : `The passkey was not made: ${e.message}`;
  }
  const saved = await postJson("/auth/passkeys/register", { name, response });
  return saved.ok ? null : await apiError(saved);
}

interface Props {
  suggestedName: string;
  clock: Clock;
  /** The person's passkeys as the page was rendered (the shape `/auth/passkeys` answers). */
  initial: Passkey[];
}

export default function Passkeys({ suggestedName, clock, initial }: Props) {
  const [load, setLoad] = useState<Load<Passkey[]>>({ state: "ready", data: initial });
  const [name, setName] = useState(suggestedName);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [supported, setSupported] = useState(true);
  async function refresh() {
    try {
      setLoad({ state: "ready", data: await listPasskeys() });
    } catch (error) {
      setLoad({ state: "failed", what: "load your passkeys", message: (error as Error).message });
    }
  }
  // What the library's browserSupportsWebAuthn() checks, without loading it for the page.
  useEffect(() => setSupported(typeof globalThis.PublicKeyCredential === "function"), []);
  async function add(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(await register(name.trim()));
    setBusy(false);
    await refresh();
  }
  async function remove(passkey: Passkey) {
    if (!confirm(`Remove the passkey “${passkey.name}”? You can no longer sign in with it.`)) {
      return;
    }
    const response = await postJson(`/auth/passkeys/${passkey.id}`, undefined, "DELETE");
    setProblem(response.ok ? null : await apiError(response));
    await refresh();
  }
  return (
    <div class="passkeys">
      {load.state === "failed" && <Failed {...load} retry={refresh} />}
      {load.state === "ready" && <PasskeyList passkeys={load.data} remove={remove} clock={clock} />}
      <form class="form passkey-form" onSubmit={add}>
        <div class="field">
          <label for="passkey-name">Name of the new passkey</label>
          <input
            id="passkey-name"
            required
            maxLength={100}
            value={name}
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={busy || !supported}>
            {busy ? "Waiting for your device…" : "Add a passkey"}
          </button>
        </div>
        {!supported && <p class="hint">This browser cannot make passkeys.</p>}
        {problem && <p class="error-text" role="alert">{problem}</p>}
      </form>
    </div>
  );
}

function PasskeyList({ passkeys, remove, clock }: {
  clock: Clock;
  passkeys: Passkey[];
  remove: (passkey: Passkey) => void;
}) {
  if (passkeys.length === 0) {
    return (
      <p class="empty">
        No passkeys yet. Add one to sign in with your fingerprint, face or device PIN instead of an
        emailed link.
      </p>
    );
  }
  return (
    <ul class="passkey-list">
      {passkeys.map((passkey) => (
        <li key={passkey.id}>
          <div>
            <strong>{passkey.name}</strong>
            {passkey.backed_up && (
              <>
                {" "}
                <span class="badge">synced</span>
              </>
            )}
            <div class="hint">
              Added <Ago iso={passkey.created_at} clock={clock} />
              {" · "}
              {passkey.last_used_at
                ? (
                  <>
                    last used <Ago iso={passkey.last_used_at} clock={clock} />
                  </>
                )
                : "never used"}
            </div>
          </div>
          <button
            type="button"
            class="button small danger"
            aria-label={`Remove the passkey “${passkey.name}”`}
            onClick={() => remove(passkey)}
          >
            Remove
          </button>
        </li>
      ))}
    </ul>
  );
}
