/**
 * `/account/tokens`: the account's API tokens, for owners (the API's `/tokens` needs `owner`
 * too). Made, listed and revoked through the same `kv/accounts.ts` functions as the API; a new
 * token's string is in this one answer only.
 */
import { createToken, listTokens, revokeToken } from "../../../kv/accounts.ts";
import { peopleByIds } from "../../../kv/people.ts";
import { BadRequestError } from "../../../lib/errors.ts";
import { platformUrl } from "../../../lib/urls.ts";
import {
  EMPTY_TOKEN_FORM,
  NewToken,
  TokenCreateForm,
  type TokenForm,
  TokenTable,
} from "../../../components/tokens.tsx";
import { TokenCreate } from "../../api/schemas.ts";
import { AccountNav } from "../../../components/account_nav.tsx";
import { adminAuditBy } from "../audit_by.ts";
import { type AuthedContext, definePage, type PageView } from "../context.ts";

const DAY_MS = 86_400_000;

async function view(
  ctx: AuthedContext,
  state: { form?: TokenForm; created?: { token: string; name: string }; status?: 200 | 422 } = {},
): Promise<PageView> {
  const title = "API tokens";
  if (!ctx.can("owner")) {
    return {
      title,
      body: (
        <>
          <AccountNav current="/account/tokens" />
          <section class="card empty">
            <p>
              Only an owner of this account manages its API tokens. Ask one if CI needs a token.
            </p>
          </section>
        </>
      ),
    };
  }
  const page = await listTokens(ctx.kv, ctx.user.principal.accountId, { limit: 100 });
  const people = await peopleByIds(ctx.kv, page.items.map((token) => token.person_id));
  const creators = new Map([...people].map(([id, person]) => [id, person.name]));
  return {
    title,
    status: state.status,
    body: (
      <>
        <AccountNav current="/account/tokens" />
        <section class="card" aria-labelledby="new-token-title">
          <h2 id="new-token-title">New token</h2>
          <p class="hint">
            For CI and scripts: a token acts for this account within its scope, and never beyond
            your own role.
          </p>
          {state.created && <NewToken {...state.created} platform={platformUrl(ctx.config)} />}
          <TokenCreateForm form={state.form ?? EMPTY_TOKEN_FORM} csrf={ctx.user.csrf} />
        </section>
        <section class="card" aria-labelledby="tokens-title">
          <h2 id="tokens-title">Tokens</h2>
          <TokenTable
            tokens={page.items}
            creators={creators}
            csrf={ctx.user.csrf}
            now={ctx.now}
            locale={ctx.locale}
          />
        </section>
      </>
    ),
  };
}

async function create(ctx: AuthedContext, form: FormData): Promise<PageView> {
  const values = {
    name: String(form.get("name") ?? ""),
    scope: String(form.get("scope") ?? "deploy"),
    days: String(form.get("expires_in_days") ?? ""),
  };
  const parsed = TokenCreate.safeParse({
    name: values.name,
    scope: values.scope,
    ...(values.days ? { expires_in_days: Number(values.days) } : {}),
  });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      errors[String(issue.path[0] ?? "name")] ??= issue.path[0] === "name"
        ? "Give the token a name of 1 to 100 characters, saying where it is used"
        : issue.message;
    }
    return await view(ctx, { form: { values, errors }, status: 422 });
  }
  const { name, scope, expires_in_days: days } = parsed.data;
  const { token } = await createToken(ctx.kv, ctx.user.principal.accountId, name, {
    scope,
    role: ctx.user.principal.role,
    personId: ctx.user.principal.creatorId,
    expiresAt: days ? new Date(ctx.now + days * DAY_MS).toISOString() : null,
    audit: adminAuditBy(ctx),
  });
  return await view(ctx, { created: { token, name } });
}

export default definePage({
  GET: (ctx) => view(ctx),
  postNeeds: { permission: "owner", refusal: () => "Only an owner manages API tokens" },
  async POST(ctx, form) {
    const intent = form.get("intent");
    if (intent === "create") return await create(ctx, form);
    if (intent === "revoke") {
      const id = String(form.get("token") ?? "");
      await revokeToken(ctx.kv, ctx.user.principal.accountId, id, adminAuditBy(ctx));
      return ctx.c.redirect("/account/tokens", 303);
    }
    throw new BadRequestError(`Unknown action on the tokens page: "${intent}"`);
  },
});
