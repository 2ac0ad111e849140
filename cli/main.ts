/**
 * `switchyard` command line: reads the command and its flags, and prints results; the work is
 * in `deploy.ts`, `commands.ts`, `apps.ts`, `links.ts`, `tokens.ts` and `stats.ts`. Only `node:` and
 * relative imports, so it bundles into the one module the platform serves at `/cli.js`.
 */
import {
  expectOf,
  type Flags,
  type FlagSpec,
  parseCommandLine,
  positiveInt,
  usage,
} from "./args.ts";
import { appsCreate, appsDelete, appsList } from "./apps.ts";
import { SwitchyardClient } from "./client.ts";
import {
  type CommandContext,
  promoteCommand,
  rollbackCommand,
  versionsCommand,
} from "./commands.ts";
import { resolveSettings } from "./config.ts";
import { CliError, ExitCode, toCliError } from "./errors.ts";
import { commandLine } from "./invocation.ts";
import { linksCreate, linksList, linksRevoke } from "./links.ts";
import { readLine } from "./prompt.ts";
import { printDeploy, runDeploy } from "./run_deploy.ts";
import { statsCommand } from "./stats.ts";
import { tokensCreate, tokensList, tokensRevoke } from "./tokens.ts";
import { commandHelp, overview } from "./usage.ts";

/** Each command's own flags (the common ones are in args.ts). */
const FLAGS: Record<string, Record<string, FlagSpec>> = {
  deploy: {
    label: { type: "string", short: "l" },
    message: { type: "string", short: "m" },
    promote: { type: "boolean" },
    expect: { type: "string" },
    link: { type: "string" },
    force: { type: "boolean" },
    "source-maps": { type: "boolean" },
    concurrency: { type: "string" },
  },
  versions: { limit: { type: "string" } },
  promote: { expect: { type: "string" } },
  rollback: {},
  links: {
    label: { type: "string", short: "l" },
    email: { type: "string" },
    hours: { type: "string" },
  },
  apps: { name: { type: "string" }, yes: { type: "boolean", short: "y" } },
  tokens: { scope: { type: "string" }, days: { type: "string" } },
  stats: { from: { type: "string" }, to: { type: "string" }, mode: { type: "string" } },
};

const print = (text: string) => console.log(text);
const helpHint = (command?: string) => `See: ${commandLine(`${command ?? ""} --help`.trim())}`;

/** Runs the CLI with `args` (without the program name) and returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const json = args.includes("--json");
  let line: ReturnType<typeof parseCommandLine>;
  try {
    line = parseCommandLine(args, FLAGS, helpHint);
  } catch (error) {
    return report(toCliError(error), json);
  }
  const { command, positionals, flags } = line;
  if (command === "help") {
    const topic = positionals[0];
    print(topic && Object.hasOwn(FLAGS, topic) ? commandHelp(topic) : overview());
    return ExitCode.ok;
  }
  if (flags.help) {
    print(command ? commandHelp(command) : overview());
    return ExitCode.ok;
  }
  if (command === undefined) {
    console.error(overview());
    return ExitCode.usage;
  }
  try {
    await run(command, positionals, flags);
    return ExitCode.ok;
  } catch (error) {
    return report(toCliError(error), json);
  }
}

async function run(command: string, args: string[], flags: Flags): Promise<void> {
  const text = (name: string) => flags[name] as string | undefined;
  const context = async (needApp = true, appArg?: string): Promise<CommandContext> => {
    const { url, token, app } = await resolveSettings(
      { url: text("url"), token: text("token"), app: appArg ?? text("app") },
      undefined,
      needApp,
    );
    const client = new SwitchyardClient({ url, token, timeoutSeconds: timeoutOf(flags) });
    return { client, app, json: flags.json === true, print, ask: readLine };
  };
  const [sub, ...rest] = args;
  switch (command) {
    case "deploy": {
      takes(command, args, 1);
      const settings = await resolveSettings({
        url: text("url"),
        token: text("token"),
        app: text("app"),
        dir: args[0],
        sourceMaps: flags["source-maps"] as boolean | undefined,
      });
      return printDeploy(await runDeploy(settings, flags, timeoutOf(flags)), flags.json === true);
    }
    case "versions":
      takes(command, args, 0);
      return versionsCommand(await context(), positiveInt("--limit", text("limit") ?? "20"));
    case "promote":
      takes(command, args, 1);
      return promoteCommand(
        await context(),
        versionArg(args[0], "promote"),
        expectOf(text("expect")),
      );
    case "rollback":
      takes(command, args, 0);
      return rollbackCommand(await context());
    case "links":
      return runLinks(sub, rest, flags, context);
    case "apps":
      return runApps(sub, rest, flags, () => context(false));
    case "tokens":
      return runTokens(sub, rest, flags, () => context(false));
    case "stats":
      takes(command, args, 1);
      return statsCommand(await context(true, args[0]), statsQuery(flags));
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `--from`, `--to` and `--mode`, checked here so a typo is a usage error, not a 422. */
function statsQuery(flags: Flags) {
  const query: Record<string, string | undefined> = {};
  for (const name of ["from", "to"]) {
    const day = flags[name] as string | undefined;
    if (day !== undefined && !DAY.test(day)) {
      throw usage(`--${name} takes a day written YYYY-MM-DD, not: ${JSON.stringify(day)}`);
    }
    query[name] = day;
  }
  const mode = flags.mode as string | undefined;
  if (mode !== undefined && mode !== "live" && mode !== "test") {
    throw usage(`--mode must be live or test, not: ${JSON.stringify(mode)}`);
  }
  return { ...query, mode };
}

type Context = () => Promise<CommandContext>;

async function runLinks(sub: string | undefined, rest: string[], flags: Flags, ctx: Context) {
  const label = flags.label as string | undefined;
  const hours = flags.hours === undefined ? undefined : positiveInt("--hours", `${flags.hours}`);
  // `links 3 --label L` was the first way to create one; it still is.
  if (sub !== undefined && /^\d+$/.test(sub)) return runLinks("create", [sub, ...rest], flags, ctx);
  switch (sub ?? "list") {
    case "list":
      takes("links list", rest, 0);
      return linksList(await ctx());
    case "create": {
      takes("links create", rest, 1);
      const version = versionArg(rest[0], "links create");
      if (!label) throw usage('Name the test link: --label "For QA"', helpHint("links"));
      const email = flags.email as string | undefined;
      return linksCreate(await ctx(), { version, label, email, hours });
    }
    case "invite": {
      takes("links invite", rest, 2);
      const version = versionArg(rest[0], "links invite");
      const email = rest[1];
      if (!email) throw usage("Name who to invite: links invite <n> <email>", helpHint("links"));
      return linksCreate(await ctx(), { version, label: label ?? `For ${email}`, email, hours });
    }
    case "revoke":
      takes("links revoke", rest, 1);
      return linksRevoke(await ctx(), required(rest[0], "the link's id", "links revoke <id>"));
    default:
      throw unknownSubcommand("links", sub!, ["list", "create", "invite", "revoke"]);
  }
}

async function runApps(sub: string | undefined, rest: string[], flags: Flags, ctx: Context) {
  switch (sub ?? "list") {
    case "list":
      takes("apps list", rest, 0);
      return appsList(await ctx());
    case "create":
      takes("apps create", rest, 1);
      return appsCreate(
        await ctx(),
        required(rest[0], "the app's slug", "apps create <slug>"),
        flags.name as string | undefined,
      );
    case "delete":
      takes("apps delete", rest, 1);
      return appsDelete(
        await ctx(),
        required(rest[0], "the app's slug", "apps delete <slug>"),
        flags.yes === true,
      );
    default:
      throw unknownSubcommand("apps", sub!, ["list", "create", "delete"]);
  }
}

const SCOPES = ["read", "deploy", "full"];

async function runTokens(sub: string | undefined, rest: string[], flags: Flags, ctx: Context) {
  switch (sub ?? "list") {
    case "list":
      takes("tokens list", rest, 0);
      return tokensList(await ctx());
    case "create": {
      takes("tokens create", rest, 1);
      const name = required(rest[0], "a name", 'tokens create "GitHub CI"');
      const scope = flags.scope as string | undefined;
      if (scope !== undefined && !SCOPES.includes(scope)) {
        throw usage(`--scope must be read, deploy or full, not: ${JSON.stringify(scope)}`);
      }
      const days = flags.days === undefined ? undefined : positiveInt("--days", `${flags.days}`);
      return tokensCreate(await ctx(), name, { scope, expires_in_days: days });
    }
    case "revoke":
      takes("tokens revoke", rest, 1);
      return tokensRevoke(await ctx(), required(rest[0], "the token's id", "tokens revoke <id>"));
    default:
      throw unknownSubcommand("tokens", sub!, ["list", "create", "revoke"]);
  }
}

/** Prints an error for a person on stderr, and for a script on stdout with `--json`. */
function report(error: CliError, json: boolean): number {
  console.error(`Error: ${error.message}`);
  for (const line of error.lines) console.error(`  ${line}`);
  if (json) {
    const body = { code: error.code, message: error.message, details: error.lines };
    print(JSON.stringify({ error: { ...body, ...error.data, exit_code: error.exitCode } }));
  }
  return error.exitCode;
}

/** A stray argument is likely a typo (a flag without its dashes, a value without its flag). */
function takes(command: string, args: string[], count: number): void {
  if (args.length > count) {
    throw usage(
      `Unexpected argument to ${command}: ${JSON.stringify(args[count])}`,
      helpHint(command.split(" ")[0]),
    );
  }
}

function required(value: string | undefined, what: string, example: string): string {
  if (value === undefined) throw usage(`Name ${what}: ${commandLine(example)}`);
  return value;
}

function unknownSubcommand(command: string, sub: string, known: string[]): CliError {
  return usage(
    `Unknown ${command} command: ${JSON.stringify(sub)}`,
    `One of: ${known.join(", ")}`,
    helpHint(command),
  );
}

function versionArg(raw: string | undefined, command: string): number {
  if (raw === undefined) throw usage(`Name the version: e.g. ${commandLine(`${command} 3`)}`);
  return positiveInt("version", raw);
}

function timeoutOf(flags: Flags): number | undefined {
  return flags.timeout === undefined ? undefined : positiveInt("--timeout", `${flags.timeout}`);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
