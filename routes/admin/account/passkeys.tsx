/**
 * `/account/passkeys`: the signed-in person's passkeys, managed by the island through
 * `/auth/passkeys` (a passkey belongs to a person, not to an account: every role has this page).
 */
import Passkeys from "../../../islands/Passkeys.tsx";
import { Island } from "../../../components/island.tsx";
import { AccountNav } from "../../../components/account_nav.tsx";
import { definePage } from "../context.ts";

export default definePage({
  GET() {
    return {
      title: "Passkeys",
      body: (
        <>
          <AccountNav current="/account/passkeys" />
          <section class="card">
            <p class="hint">
              A passkey signs you in with this device's fingerprint, face or PIN: nothing to type,
              nothing to phish.
            </p>
            <Island component={Passkeys} props={{ suggestedName: "This device" }} />
          </section>
        </>
      ),
    };
  },
});
