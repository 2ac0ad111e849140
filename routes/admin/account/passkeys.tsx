/**
 * `/account/passkeys`: the signed-in person's passkeys (a passkey belongs to a person, not to an
 * account: every role has this page). Rendered with the list `GET /auth/passkeys` reads, in its
 * shape (never a key); the island adds and removes them through `/auth/passkeys`.
 */
import { listPasskeys } from "../../../kv/passkeys.ts";
import Passkeys from "../../../islands/Passkeys.tsx";
import { Island } from "../../../components/island.tsx";
import { AccountNav } from "../../../components/account_nav.tsx";
import { definePage } from "../context.ts";

export default definePage({
  async GET(ctx) {
    const passkeys = await listPasskeys(ctx.kv, ctx.user.principal.personId ?? "");
    const initial = passkeys.map((p) => ({
      id: p.id,
      name: p.name,
      created_at: p.created_at,
      last_used_at: p.last_used_at,
      device_type: p.device_type,
      backed_up: p.backed_up,
    }));
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
            <Island
              component={Passkeys}
              props={{
                suggestedName: "This device",
                clock: { now: ctx.now, locale: ctx.locale },
                initial,
              }}
            />
          </section>
        </>
      ),
    };
  },
});
