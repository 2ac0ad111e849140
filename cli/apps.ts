/** `apps`: create, list and delete the account's apps. */
import { type CommandContext } from "./commands.ts";
import { CliError, ExitCode } from "./errors.ts";
import { commandLine } from "./invocation.ts";
import { shortTime, table } from "./table.ts";

export async function appsCreate(ctx: CommandContext, slug: string, name?: string) {
  const app = await ctx.client.createApp(slug, name ?? slug);
  if (ctx.json) return ctx.print(JSON.stringify(app));
  ctx.print(`Created app "${app.slug}": ${app.url}`);
  ctx.print(`Deploy a folder to it: ${commandLine(`deploy <dir> --app ${app.slug}`)}`);
}

export async function appsList(ctx: CommandContext) {
  const page = await ctx.client.listApps();
  if (ctx.json) return ctx.print(JSON.stringify(page));
  if (page.items.length === 0) {
    return ctx.print(`No apps yet; create one with: ${commandLine("apps create <slug>")}`);
  }
  const rows = page.items.map((app) => [
    app.slug,
    app.name,
    app.live === null ? "none" : String(app.live),
    app.url,
    shortTime(app.created_at),
  ]);
  ctx.print(table(["SLUG", "NAME", "LIVE", "URL", "CREATED (UTC)"], rows));
}

/**
 * Deletes an app once the person has typed its slug (or passed `--yes`): it takes every version,
 * link and setting with it, and cannot be undone.
 */
export async function appsDelete(ctx: CommandContext, slug: string, yes: boolean) {
  // Read first: a typo is "No such app" before anyone is asked anything.
  const app = await ctx.client.getApp(slug);
  if (!yes) {
    const typed = await ctx.ask(
      `Delete "${app.slug}" (${app.url}) with every version, test link and setting? ` +
        `This cannot be undone. Type the slug to confirm: `,
    );
    if (typed === null) {
      throw new CliError(
        ExitCode.usage,
        `Not deleted, as nobody typed the slug to confirm: "${app.slug}"`,
        [`Pass --yes to delete without being asked: ${commandLine(`apps delete ${slug} --yes`)}`],
        "not_confirmed",
      );
    }
    if (typed.trim() !== app.slug) {
      throw new CliError(
        ExitCode.usage,
        `Not deleted: the slug typed does not match: ${JSON.stringify(typed.trim())}`,
        [],
        "not_confirmed",
      );
    }
  }
  await ctx.client.deleteApp(app.slug);
  if (ctx.json) return ctx.print(JSON.stringify({ deleted: app.slug }));
  ctx.print(`Deleted app "${app.slug}"`);
}
