/** `tokens`: API tokens for CI and scripts; create (shown once), list, revoke. */
import type { CommandContext } from "./commands.ts";
import { commandLine } from "./invocation.ts";
import { shortTime, table } from "./table.ts";

export async function tokensCreate(
  ctx: CommandContext,
  name: string,
  options: { scope?: string; expires_in_days?: number } = {},
) {
  const created = await ctx.client.createToken(name, options);
  if (ctx.json) return ctx.print(JSON.stringify(created));
  const expires = created.expires_at ? `, expires ${shortTime(created.expires_at)} UTC` : "";
  ctx.print(
    `Created ${created.scope ?? "full"} token "${created.name}" (id ${created.id}${expires}); ` +
      "this is the only time it is shown:",
  );
  ctx.print(created.token);
  ctx.print(
    `Use it as SWITCHYARD_TOKEN; revoke it with: ${commandLine(`tokens revoke ${created.id}`)}`,
  );
}

export async function tokensList(ctx: CommandContext) {
  const page = await ctx.client.listTokens();
  if (ctx.json) return ctx.print(JSON.stringify(page));
  const rows = page.items.map((token) => [
    token.id,
    token.name,
    token.scope ?? "full",
    token.created_by ? token.created_by.name ?? token.created_by.person_id : "-",
    shortTime(token.created_at),
    shortTime(token.expires_at ?? null),
    shortTime(token.last_used_at ?? null),
  ]);
  ctx.print(table(["ID", "NAME", "SCOPE", "BY", "CREATED (UTC)", "EXPIRES", "LAST USED"], rows));
}

export async function tokensRevoke(ctx: CommandContext, id: string) {
  await ctx.client.revokeToken(id);
  if (ctx.json) return ctx.print(JSON.stringify({ revoked: id }));
  ctx.print(`Revoked token ${id}: requests with it are refused from now on`);
}
