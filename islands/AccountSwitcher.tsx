/**
 * The account switcher in the top bar: a select of the person's accounts; choosing one asks
 * `POST /auth/switch` to move the session there and reloads on the dashboard.
 */
import { useState } from "preact/hooks";
import { apiError, postJson } from "./lib/api.ts";

interface Props {
  current: string;
  accounts: { id: string; name: string; role: string }[];
}

export default function AccountSwitcher({ current, accounts }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function choose(accountId: string) {
    if (accountId === current) return;
    setBusy(true);
    setError(null);
    const response = await postJson("/auth/switch", { account_id: accountId });
    if (response.ok) {
      location.assign("/");
      return;
    }
    setBusy(false);
    setError(await apiError(response));
  }
  return (
    <div class="switcher">
      <label for="account-switcher" class="visually-hidden">Account</label>
      <select
        id="account-switcher"
        value={current}
        disabled={busy}
        onChange={(event) => choose((event.target as HTMLSelectElement).value)}
      >
        {accounts.map((account) => (
          <option value={account.id} key={account.id} selected={account.id === current}>
            {account.name} ({account.role})
          </option>
        ))}
      </select>
      {error && <span role="alert" class="error-text">{error}</span>}
    </div>
  );
}
