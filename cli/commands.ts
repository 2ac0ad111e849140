/**
 * The companion commands: thin wrappers over one client call each, printing either a line
 * for a person or the API's JSON for a script.
 */
import type { SwitchyardClient, VersionInfo } from "./client.ts";
import { formatBytes } from "./progress.ts";

export type Print = (text: string) => void;

export interface CommandContext {
  client: SwitchyardClient;
  app: string;
  json: boolean;
  print: Print;
}

/** Newest versions first, the live one marked. */
export async function versionsCommand(ctx: CommandContext, limit: number): Promise<void> {
  const [app, page] = await Promise.all([
    ctx.client.getApp(ctx.app),
    ctx.client.listVersions(ctx.app, limit),
  ]);
  if (ctx.json) return ctx.print(JSON.stringify({ live: app.live, ...page }));
  if (page.items.length === 0) {
    return ctx.print(`No versions of "${app.slug}" yet: run deno task deploy`);
  }
  for (const version of page.items) ctx.print(versionLine(version, app.live));
  if (page.next_cursor) ctx.print(`(older versions not shown; pass --limit to see more)`);
}

function versionLine(version: VersionInfo, live: number | null): string {
  const mark = version.number === live ? "*" : " ";
  const label = version.label ? `  ${version.label}` : "";
  return `${mark} ${String(version.number).padStart(4)}  ${version.status.padEnd(9)} ` +
    `${String(version.file_count).padStart(6)} files ${formatBytes(version.bytes).padStart(10)}  ` +
    `${version.created_at}  ${version.created_by}${label}`;
}

export async function promoteCommand(
  ctx: CommandContext,
  version: number,
  expect: number | null | undefined,
): Promise<void> {
  const change = await ctx.client.promote(ctx.app, version, expect);
  if (ctx.json) return ctx.print(JSON.stringify(change));
  ctx.print(`Version ${change.version} of "${ctx.app}" is live (was ${change.previous ?? "none"})`);
}

export async function rollbackCommand(ctx: CommandContext): Promise<void> {
  const change = await ctx.client.rollback(ctx.app);
  if (ctx.json) return ctx.print(JSON.stringify(change));
  ctx.print(`Rolled "${ctx.app}" back to version ${change.version} (was ${change.previous})`);
}

/** Lists test links, or with a version creates one (its URL is shown only this once). */
export async function linksCommand(
  ctx: CommandContext,
  create?: { version: number; label: string },
): Promise<void> {
  if (create) {
    const link = await ctx.client.createLink(ctx.app, create.version, create.label);
    if (ctx.json) return ctx.print(JSON.stringify(link));
    ctx.print(`Test link for version ${create.version}: ${link.url}`);
    return ctx.print(`Expires ${link.expires_at}; this is the only time the URL is shown`);
  }
  const page = await ctx.client.listLinks(ctx.app);
  if (ctx.json) return ctx.print(JSON.stringify(page));
  if (page.items.length === 0) return ctx.print(`No test links for "${ctx.app}"`);
  for (const link of page.items) {
    const state = link.revoked_at ? `revoked ${link.revoked_at}` : `expires ${link.expires_at}`;
    const email = link.email ? ` <${link.email}>` : "";
    ctx.print(
      `${link.id}  version ${link.version}  ${link.label}${email}  ${state}  ${link.visits} visits`,
    );
  }
}
