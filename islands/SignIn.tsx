/**
 * The sign-in choices: OAuth providers (links to `/auth/<id>/signin`), a passkey and an emailed
 * link, as the server rendered them from its configuration (the same offer `GET /auth/providers`
 * answers), so the page arrives with every button and nothing moves when it hydrates.
 */
import { useState } from "preact/hooks";
import { apiError, postJson } from "./lib/api.ts";
import PasskeyButton from "./lib/passkey_button.tsx";

/** `SignInOffer` of routes/auth/oauth_routes.ts (islands import nothing from routes/). */
interface Offer {
  providers: { id: string; name: string; signin_url: string }[];
  passkey: boolean;
  email_link: boolean;
}

export default function SignIn({ next, offer }: { next: string; offer: Offer }) {
  const query = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
  return (
    <div class="signin-methods">
      <div class="stack">
        {offer.providers.map((provider) => (
          <a class="button wide" href={provider.signin_url + query} key={provider.id}>
            Continue with {provider.name}
          </a>
        ))}
        {offer.passkey && <PasskeyButton next={next} />}
      </div>
      {offer.email_link && <EmailLink next={next} />}
    </div>
  );
}

function EmailLink({ next }: { next: string }) {
  const [email, setEmail] = useState("");
  const [state, setState] = useState<"idle" | "sending" | "sent">("idle");
  const [error, setError] = useState<string | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    setState("sending");
    setError(null);
    const response = await postJson("/auth/email-link", { email, next });
    if (response.ok) return setState("sent");
    setState("idle");
    setError(await apiError(response));
  }
  if (state === "sent") {
    return (
      <p role="status" class="notice">
        If {email} belongs to a member, a sign-in link is on its way: check your inbox.
      </p>
    );
  }
  return (
    <form class="stack email-link" onSubmit={submit}>
      <div class="divider">
        <span>or get a link by email</span>
      </div>
      <label for="signin-email">Email</label>
      <input
        id="signin-email"
        type="email"
        required
        autocomplete="email"
        value={email}
        onInput={(event) => setEmail((event.target as HTMLInputElement).value)}
      />
      <button class="button primary wide" type="submit" disabled={state === "sending"}>
        {state === "sending" ? "Sending…" : "Email me a sign-in link"}
      </button>
      {error && <p role="alert" class="error-text">{error}</p>}
    </form>
  );
}
