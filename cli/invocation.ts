/**
 * How the person ran the CLI, so that every hint names a command that works for them:
 * `deno task promote 3` in this repository, `deno run -A https://<platform>/cli.js promote 3`
 * for the copy a platform serves at `/cli.js` (where there is no deno.json with tasks).
 */

/** Where this module was loaded from: a file of the repository, or the bundle's URL. */
const loadedFrom = new URL(import.meta.url);

/** Whether the CLI was run from a URL (the served `/cli.js`) rather than from a checkout. */
export function isServedCopy(from: URL = loadedFrom): boolean {
  return from.protocol === "http:" || from.protocol === "https:";
}

/** The command line that runs the CLI with `args`, as this person would type it. */
export function commandLine(args: string, from: URL = loadedFrom): string {
  return isServedCopy(from) ? `deno run -A ${from.href} ${args}` : `deno task ${args}`;
}

/** The platform that served this copy, the default `--url` of a served CLI. */
export function servedOrigin(from: URL = loadedFrom): string | undefined {
  return isServedCopy(from) ? from.origin : undefined;
}
