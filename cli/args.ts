/**
 * The command line: which command, its arguments and its flags. Each command accepts the common
 * flags and its own, so `versions --promote` is refused instead of silently ignored, and a
 * mistyped flag or command is answered with the nearest one that exists.
 */
import { parseArgs } from "node:util";
import { CliError, ExitCode } from "./errors.ts";

export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
}

export type Flags = Record<string, string | boolean | undefined>;

/** Accepted by every command. */
export const COMMON_FLAGS: Record<string, FlagSpec> = {
  app: { type: "string", short: "a" },
  url: { type: "string" },
  token: { type: "string" },
  timeout: { type: "string" },
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  help: { type: "boolean", short: "h" },
};

export interface ParsedLine {
  /** The command; undefined when none was given. */
  command?: string;
  positionals: string[];
  flags: Flags;
}

/**
 * Splits `args` into command, positionals and flags, checked against the flags of `commands`
 * (name → its own flags). Throws a usage error naming the nearest flag or command.
 */
export function parseCommandLine(
  args: string[],
  commands: Record<string, Record<string, FlagSpec>>,
  helpHint: (command?: string) => string,
): ParsedLine {
  // A loose pass knows every flag, so a flag's value is never taken for the command.
  const everyFlag = Object.assign({}, COMMON_FLAGS, ...Object.values(commands));
  const loose = parseArgs({ args, options: everyFlag, allowPositionals: true, strict: false });
  const command = loose.positionals[0];
  if (command !== undefined && !Object.hasOwn(commands, command) && command !== "help") {
    const near = nearest(command, Object.keys(commands));
    throw usage(
      `Unknown command: ${JSON.stringify(command)}`,
      near ? `Did you mean ${JSON.stringify(near)}?` : helpHint(),
    );
  }
  const own = command && command !== "help" ? commands[command] : {};
  const options = { ...COMMON_FLAGS, ...own };
  try {
    const { values, positionals } = parseArgs({
      args,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { command, positionals: positionals.slice(1), flags: values as Flags };
  } catch (error) {
    throw flagError(error as Error & { code?: string }, Object.keys(options), command, helpHint);
  }
}

function flagError(
  error: Error & { code?: string },
  known: string[],
  command: string | undefined,
  helpHint: (command?: string) => string,
): CliError {
  const flag = /'(-[^' ]+)/.exec(error.message)?.[1] ?? "";
  const name = /(--[\w-]+)/.exec(error.message)?.[1] ?? flag;
  const where = command ? ` of ${JSON.stringify(command)}` : "";
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const near = nearest(flag.replace(/^-+/, "").split("=")[0], known);
    return usage(
      `Unknown flag${where}: ${JSON.stringify(flag)}`,
      near ? `Did you mean "--${near}"?` : helpHint(command),
    );
  }
  if (/argument missing/.test(error.message)) {
    return usage(`Missing value for flag: ${JSON.stringify(name)}`, helpHint(command));
  }
  if (/does not take an argument/.test(error.message)) {
    return usage(`Flag takes no value: ${JSON.stringify(name)}`, helpHint(command));
  }
  return usage(error.message, helpHint(command));
}

/** The candidate closest to `word` by edit distance, if it is close enough to be a typo. */
export function nearest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= allowed || best?.startsWith(word) && word.length >= 3 ? best : undefined;
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = row;
  }
  return previous[b.length];
}

export function usage(message: string, ...lines: string[]): CliError {
  return new CliError(ExitCode.usage, message, lines, "usage");
}

/** `--expect 3`, or `--expect none` when nothing should be live yet. */
export function expectOf(raw: string | undefined): number | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === "none" || raw === "null") return null;
  return positiveInt("--expect", raw);
}

export function positiveInt(name: string, raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw usage(`${name} must be a whole number above 0, not: ${JSON.stringify(raw)}`);
  }
  return value;
}
