/**
 * `switchyard` command line: parses flags and prints results; the work is in `deploy.ts` and
 * `commands.ts`. Only `node:` and relative imports, so it bundles into the one module the
 * platform serves at `/cli.js`.
 */
import { parseArgs } from "node:util";
import { SwitchyardClient } from "./client.ts";
import { linksCommand, promoteCommand, rollbackCommand, versionsCommand } from "./commands.ts";
import { resolveSettings, type Settings } from "./config.ts";
import { deploy, type DeployResult } from "./deploy.ts";
import { CliError, ExitCode, toCliError } from "./errors.ts";
import { countFiles, createProgress, formatBytes } from "./progress.ts";
import { USAGE } from "./usage.ts";

const OPTIONS = {
  app: { type: "string", short: "a" },
  url: { type: "string" },
  token: { type: "string" },
  label: { type: "string", short: "l" },
  message: { type: "string", short: "m" },
  promote: { type: "boolean" },
  expect: { type: "string" },
  link: { type: "string" },
  json: { type: "boolean" },
  "source-maps": { type: "boolean" },
  concurrency: { type: "string" },
  limit: { type: "string" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
} as const;

/** How many positional arguments each command takes (a stray one is likely a typo). */
const ARGUMENTS: Record<string, number> = {
  deploy: 1,
  versions: 0,
  promote: 1,
  rollback: 0,
  links: 1,
};

type Flags = ReturnType<typeof parseFlags>["values"];

const print = (text: string) => console.log(text);

function parseFlags(args: string[]) {
  return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
}

/** Runs the CLI with `args` (without the program name) and returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(args);
  } catch (error) {
    return report(usage((error as Error).message), false);
  }
  const { values, positionals: [command, ...rest] } = parsed;
  if (values.help || command === "help") {
    print(USAGE);
    return ExitCode.ok;
  }
  if (command === undefined) {
    console.error(USAGE);
    return ExitCode.usage;
  }
  try {
    await run(command, rest, values);
    return ExitCode.ok;
  } catch (error) {
    return report(toCliError(error), values.json ?? false);
  }
}

async function run(command: string, rest: string[], flags: Flags): Promise<void> {
  const settings = (dir?: string) =>
    resolveSettings({ ...flags, dir, sourceMaps: flags["source-maps"] });
  const context = async () => {
    const { url, token, app } = await settings();
    const client = new SwitchyardClient({ url, token });
    return { client, app, json: flags.json ?? false, print };
  };
  const allowed = Object.hasOwn(ARGUMENTS, command) ? ARGUMENTS[command] : Infinity;
  if (rest.length > allowed) throw usage(`Unexpected argument: ${JSON.stringify(rest[allowed])}`);
  switch (command) {
    case "deploy":
      return printDeploy(await runDeploy(await settings(rest[0]), flags), flags.json ?? false);
    case "versions":
      return versionsCommand(await context(), positiveInt("--limit", flags.limit ?? "20"));
    case "promote":
      return promoteCommand(await context(), versionArg(rest[0]), expectOf(flags.expect));
    case "rollback":
      return rollbackCommand(await context());
    case "links": {
      const create = rest[0] === undefined
        ? undefined
        : { version: versionArg(rest[0]), label: flags.label ?? "" };
      if (create && !create.label) throw usage('Name the test link: --label "For Jane"');
      return linksCommand(await context(), create);
    }
    default:
      throw usage(`Unknown command: ${JSON.stringify(command)}`);
  }
}

async function runDeploy(settings: Settings, flags: Flags): Promise<DeployResult> {
  // Ctrl-C aborts the uploads in flight cleanly; what arrived stays, so a rerun resumes.
  // A second Ctrl-C is someone who does not want to wait for that.
  const controller = new AbortController();
  const onInterrupt = () => controller.signal.aborted ? Deno.exit(130) : controller.abort();
  Deno.addSignalListener("SIGINT", onInterrupt);
  const progress = createProgress({ quiet: flags.quiet });
  try {
    const expect = expectOf(flags.expect);
    return await deploy({
      ...settings,
      label: flags.label,
      message: flags.message,
      promote: flags.promote || expect !== undefined,
      expect,
      link: flags.link,
      concurrency: flags.concurrency ? positiveInt("--concurrency", flags.concurrency) : undefined,
      progress,
      signal: controller.signal,
    });
  } finally {
    // Clears a half-drawn progress line, so an error message starts on its own line.
    progress.done();
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}

function printDeploy(result: DeployResult, json: boolean): void {
  if (json) return print(JSON.stringify(result));
  print(
    `Version ${result.version} of "${result.app}": ${countFiles(result.files)} ` +
      `(${formatBytes(result.bytes)}), ${result.uploaded} uploaded ` +
      `(${formatBytes(result.bytes_uploaded)})`,
  );
  if (result.live === result.version) print(`Live: ${result.url}`);
  else {
    const live = result.live === null ? "nothing is live yet" : `version ${result.live} is live`;
    print(`Not live (${live} at ${result.url}); make it live with:`);
    print(`  deno task promote ${result.version} --app ${result.app}`);
  }
  if (result.link) print(`Test link: ${result.link} (expires ${result.link_expires_at})`);
}

/** Prints an error for a person on stderr, and for a script on stdout with `--json`. */
function report(error: CliError, json: boolean): number {
  console.error(`Error: ${error.message}`);
  for (const line of error.lines) console.error(`  ${line}`);
  if (json) {
    const body = { code: error.code, message: error.message, details: error.lines };
    print(JSON.stringify({ error: { ...body, exit_code: error.exitCode } }));
  }
  return error.exitCode;
}

function versionArg(raw: string | undefined): number {
  if (raw === undefined) throw usage("Name the version: e.g. deno task promote 3");
  return positiveInt("version", raw);
}

/** `--expect 3`, or `--expect none` when nothing should be live yet. */
function expectOf(raw: string | undefined): number | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === "none" || raw === "null") return null;
  return positiveInt("--expect", raw);
}

function positiveInt(name: string, raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw usage(`${name} must be a whole number above 0, not: ${JSON.stringify(raw)}`);
  }
  return value;
}

function usage(message: string): CliError {
  return new CliError(ExitCode.usage, message, ["See --help"], "usage");
}

if (import.meta.main) Deno.exit(await main(Deno.args));
