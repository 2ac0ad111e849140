/**
 * API tokens for CI and scripts: the form that makes one (name, scope, expiry), the new token
 * shown once with a copy button and the line that uses it, and the list with last use.
 */
import type { VNode } from "preact";
import type { TokenRecord } from "../kv/accounts.ts";
import { CopyRow } from "./copy_row.tsx";
import { CsrfField, RevokeForm, Time } from "./ui.tsx";

export interface TokenForm {
  values: { name: string; scope: string; days: string };
  errors: Record<string, string>;
}

export const EMPTY_TOKEN_FORM: TokenForm = {
  values: { name: "", scope: "deploy", days: "90" },
  errors: {},
};

const SCOPES: [string, string][] = [
  ["deploy", "deploy (what CI needs)"],
  ["read", "read (look only)"],
  ["full", "full (everything)"],
];

const EXPIRIES: [string, string][] = [
  ["7", "in 7 days"],
  ["30", "in 30 days"],
  ["90", "in 90 days"],
  ["365", "in a year"],
  ["", "never"],
];

export function NewToken(
  { token, name, platform }: { token: string; name: string; platform: string },
): VNode {
  return (
    <div class="created" role="status" aria-labelledby="token-created">
      <div class="created-text">
        <h3 id="token-created">Token “{name}” is ready</h3>
        <p>Copy it now: it is shown only this once, and Switchyard keeps only its hash.</p>
        <CopyRow id="new-token" value={token} label="The new token" copyLabel="Copy the token" />
        <p class="hint">Use it in CI as a secret:</p>
        <pre>SWITCHYARD_URL={platform} SWITCHYARD_TOKEN=… deno task deploy</pre>
      </div>
    </div>
  );
}

export function TokenCreateForm({ form, csrf }: { form: TokenForm; csrf: string }): VNode {
  const { values, errors } = form;
  return (
    <form method="post" class="form token-form" novalidate>
      <CsrfField token={csrf} />
      <input type="hidden" name="intent" value="create" />
      <div class="field">
        <label for="token-name">Name</label>
        <input
          id="token-name"
          name="name"
          required
          maxLength={100}
          placeholder="GitHub Actions"
          value={values.name}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={errors.name ? "token-name-error" : undefined}
        />
        {errors.name && <p class="error-text" id="token-name-error">{errors.name}</p>}
      </div>
      <div class="field">
        <label for="token-scope">Scope</label>
        <select id="token-scope" name="scope" aria-describedby="token-scope-hint">
          {SCOPES.map(([value, text]) => (
            <option value={value} selected={values.scope === value}>{text}</option>
          ))}
        </select>
        <p class="hint" id="token-scope-hint">
          deploy: upload versions, make test links, go live. full: also settings, deletions, tokens,
          members.
        </p>
      </div>
      <div class="field">
        <label for="token-days">Expires</label>
        <select id="token-days" name="expires_in_days">
          {EXPIRIES.map(([value, text]) => (
            <option value={value} selected={values.days === value}>{text}</option>
          ))}
        </select>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary">Create token</button>
      </div>
    </form>
  );
}

export function TokenTable(
  { tokens, creators, csrf, now, locale }: {
    tokens: TokenRecord[];
    /** Who made each token, by person id (a token the platform made at its start has none). */
    creators: Map<string, string>;
    csrf: string;
    now: number;
    locale: string;
  },
): VNode {
  if (tokens.length === 0) {
    return (
      <p class="empty">
        No API tokens yet. Make one above for CI, then run <code>deno task deploy</code> with it.
      </p>
    );
  }
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="API tokens">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scope</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => {
            const expired = !!token.expires_at && Date.parse(token.expires_at) <= now;
            return (
              <tr key={token.id} data-token={token.id}>
                <td>
                  <strong>{token.name}</strong>
                  <div class="hint">
                    made <Time iso={token.created_at} now={now} locale={locale} />
                    {token.person_id && creators.has(token.person_id) &&
                      ` by ${creators.get(token.person_id)}`}
                  </div>
                </td>
                <td>
                  <span class="badge">{token.scope ?? "full"}</span>
                </td>
                <td>
                  {token.last_used_at
                    ? <Time iso={token.last_used_at} now={now} locale={locale} />
                    : <span class="hint">never</span>}
                </td>
                <td>
                  {token.expires_at
                    ? (
                      <>
                        {expired && <span class="badge warn">Expired</span>}{" "}
                        <Time iso={token.expires_at} now={now} locale={locale} />
                      </>
                    )
                    : <span class="hint">never</span>}
                </td>
                <td class="actions">
                  <RevokeForm
                    csrf={csrf}
                    intent="revoke"
                    field="token"
                    id={token.id}
                    name={token.name}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
