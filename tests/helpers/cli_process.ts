/**
 * Runs the CLI in its own process, the three ways a person does: `deno task <command>` in the
 * repository, `deno run -A cli/main.ts`, and the copy a platform serves at `/cli.js`.
 */

const ROOT = new URL("../../", import.meta.url);

export type CliMode =
  | { kind: "task" }
  | { kind: "main" }
  | { kind: "served"; url: string };

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout's lines, without the empty last one. */
  lines: string[];
}

export interface CliRunOptions {
  env?: Record<string, string>;
  /** Typed on stdin; without it stdin is closed. */
  stdin?: string;
  cwd?: string | URL;
}

/** The environment of a person who set only what the CLI documents (and what Deno needs). */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { NO_COLOR: "1" };
  for (const name of ["PATH", "HOME", "DENO_DIR", "XDG_CACHE_HOME", "TMPDIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

export function cliArgs(mode: CliMode, args: string[]): string[] {
  switch (mode.kind) {
    case "task":
      return ["task", ...args];
    case "main":
      return ["run", "-A", "cli/main.ts", ...args];
    case "served":
      return ["run", "-A", mode.url, ...args];
  }
}

export async function runCli(
  mode: CliMode,
  args: string[],
  options: CliRunOptions = {},
): Promise<CliRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: cliArgs(mode, args),
    cwd: options.cwd ?? ROOT,
    env: { ...baseEnv(), ...options.env },
    clearEnv: true,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  const out = decode(stdout);
  return { code, stdout: out, stderr: decode(stderr), lines: out.split("\n").slice(0, -1) };
}

/** A readable account of a run, for assertion messages. */
export function show(run: CliRun): string {
  return `exit ${run.code}\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;
}
