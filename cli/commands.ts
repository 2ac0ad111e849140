/**
 * The commands about versions and what is live: thin wrappers over one client call each,
 * printing a table or a line for a person, or the API's JSON for a script.
 */
import type { SwitchyardClient } from "./client.ts";
import { commandLine } from "./invocation.ts";
import { formatBytes } from "./progress.ts";
import { clip, shortTime, table } from "./table.ts";

export type Print = (text: string) => void;

export interface CommandContext {
  client: SwitchyardClient;
  /** The app the command is about; empty for `apps` and `tokens`. */
  app: string;
  json: boolean;
  print: Print;
  /** Asks a person for one line on the terminal; null when nobody answers (no input). */
  ask: (question: string) => Promise<string | null>;
}

/** Newest versions first, with who made them, their size, and which is live. */
export async function versionsCommand(ctx: CommandContext, limit: number): Promise<void> {
  const [app, page] = await Promise.all([
    ctx.client.getApp(ctx.app),
    ctx.client.listVersions(ctx.app, limit),
  ]);
  if (ctx.json) return ctx.print(JSON.stringify({ live: app.live, ...page }));
  if (page.items.length === 0) {
    ctx.print(`No versions of "${app.slug}" yet; deploy a folder with:`);
    return ctx.print(`  ${commandLine(`deploy <dir> --app ${app.slug}`)}`);
  }
  const rows = page.items.map((v) => [
    String(v.number),
    v.number === app.live ? "live" : "",
    v.status,
    String(v.file_count),
    formatBytes(v.bytes),
    v.created_by,
    shortTime(v.created_at),
    clip(v.label, 24),
    clip(v.message, 48),
  ]);
  ctx.print(table(
    ["VERSION", "LIVE", "STATUS", "FILES", "SIZE", "AUTHOR", "CREATED (UTC)", "LABEL", "MESSAGE"],
    rows,
  ));
  if (page.next_cursor) ctx.print(`(older versions not shown; pass --limit to see more)`);
}

export async function promoteCommand(
  ctx: CommandContext,
  version: number,
  expect: number | null | undefined,
): Promise<void> {
  const change = await ctx.client.promote(ctx.app, version, expect);
  if (ctx.json) return ctx.print(JSON.stringify(change));
  ctx.print(`Version ${change.version} of "${ctx.app}" is live (was ${change.previous ?? "none"})`);
  ctx.print(`Undo with: ${commandLine(`rollback --app ${ctx.app}`)}`);
}

export async function rollbackCommand(ctx: CommandContext): Promise<void> {
  const change = await ctx.client.rollback(ctx.app);
  if (ctx.json) return ctx.print(JSON.stringify(change));
  ctx.print(`Rolled "${ctx.app}" back to version ${change.version} (was ${change.previous})`);
}
