/** `links`: test links that open a version on the app's live host; create, list, revoke, invite. */
import type { CreatedLink } from "./api_types.ts";
import type { CommandContext } from "./commands.ts";
import { commandLine } from "./invocation.ts";
import { clip, shortTime, table } from "./table.ts";

export interface LinkRequest {
  version: number;
  label: string;
  email?: string;
  hours?: number;
}

export async function linksCreate(ctx: CommandContext, request: LinkRequest) {
  const link = await ctx.client.createLink(ctx.app, request.version, {
    label: request.label,
    email: request.email,
    expires_in_hours: request.hours,
  });
  if (ctx.json) return ctx.print(JSON.stringify(link));
  ctx.print(`Test link for version ${link.version} of "${ctx.app}": ${link.url}`);
  ctx.print(`Expires ${link.expires_at}; this is the only time the URL is shown`);
  if (link.email) printInvitation(ctx, link);
}

function printInvitation(ctx: CommandContext, link: CreatedLink) {
  if (link.invitation_sent) return ctx.print(`Invitation mailed to ${link.email}`);
  ctx.print(
    `No invitation mailed to ${link.email} (the platform has no SMTP, or sending failed): ` +
      "send them the link yourself",
  );
}

export async function linksList(ctx: CommandContext) {
  const page = await ctx.client.listLinks(ctx.app);
  if (ctx.json) return ctx.print(JSON.stringify(page));
  if (page.items.length === 0) {
    ctx.print(`No test links for "${ctx.app}"; create one with:`);
    return ctx.print(
      `  ${commandLine(`links create <version> --label "For QA" --app ${ctx.app}`)}`,
    );
  }
  const rows = page.items.map((link) => [
    link.id,
    String(link.version),
    clip(link.label, 32),
    link.email ?? "",
    link.revoked_at ? "revoked" : Date.parse(link.expires_at) < Date.now() ? "expired" : "active",
    shortTime(link.revoked_at ?? link.expires_at),
    String(link.visits),
  ]);
  ctx.print(
    table(["ID", "VERSION", "LABEL", "EMAIL", "STATUS", "UNTIL (UTC)", "VISITS"], rows),
  );
}

export async function linksRevoke(ctx: CommandContext, id: string) {
  await ctx.client.revokeLink(ctx.app, id);
  if (ctx.json) return ctx.print(JSON.stringify({ revoked: id }));
  ctx.print(`Revoked test link ${id} of "${ctx.app}": it stops working within a second`);
}
