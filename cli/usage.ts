/**
 * The `--help` texts, written with the command line that works for the way the CLI was run
 * (`deno task …` in the repository, `deno run -A <url> …` for the served copy); docs/CLI.md says
 * the same at length.
 */
import { commandLine } from "./invocation.ts";

const COMMON = `Common options:
  -a, --app <slug>     The app (env SWITCHYARD_APP, or "app" in switchyard.json)
      --url <url>      Platform URL (env SWITCHYARD_URL, or "url" in switchyard.json);
                       localhost may go without a scheme (read as http://)
      --token <token>  API token (env SWITCHYARD_TOKEN)
      --timeout <s>    Seconds one request may wait for its answer (default 60)
      --json           Print one JSON object on stdout (errors too)
  -q, --quiet          No progress on stderr
  -h, --help           This text`;

const EXIT_CODES = `Exit codes: 0 ok, 1 unexpected error, 2 usage or configuration, 3 token refused,
4 not found, 5 package refused, 6 conflict (stale --expect, nothing to roll back to),
7 server unreachable or failing after retries, 130 interrupted (rerun to resume).`;

type Help = (run: (args: string) => string) => string;

const HELP: Record<string, Help> = {
  deploy: (run) =>
    `Upload the files of [dir] (default ".") as a new version; only files the server
lacks are sent. A folder whose files are those of the newest ready version makes no
new version (--force makes one).

Usage:
  ${run("deploy [dir] --app <slug> [options]")}

Options:
  -l, --label <text>     Version label
  -m, --message <text>   Version message
      --promote          Make the version live after the deploy
      --expect <N|none>  Only go live if version N (or nothing) is live now; implies --promote
      --link <label>     Create a test link for the version
      --force            Make a new version even when nothing changed
      --source-maps      Deploy *.map files too (left out by default)
      --concurrency <n>  Uploads in flight at once (default 8)

Files left out: dotfiles and dot-folders (except .well-known/), node_modules/, *.map,
and whatever .switchyardignore in [dir] lists (gitignore syntax). A symlink leading
outside [dir] refuses the package (exit 5); links inside it are followed.`,
  versions: (run) =>
    `List versions, newest first: label, message, author, size, files, status, and
which is live.

Usage:
  ${run("versions --app <slug> [--limit N]")}

Options:
      --limit <n>        How many versions to list (default 20)`,
  promote: (run) =>
    `Make version <n> live.

Usage:
  ${run("promote <n> --app <slug> [--expect N|none]")}

Options:
      --expect <N|none>  Only if version N (or nothing) is live now; else exit 6`,
  rollback: (run) =>
    `Go back to the version live before the current one.

Usage:
  ${run("rollback --app <slug>")}`,
  links: (run) =>
    `Test links: a private URL that opens a version on the app's live host.

Usage:
  ${run("links [list] --app <slug>")}
  ${run('links create <n> --label "For QA" [--hours H] --app <slug>')}
  ${run('links invite <n> <email> [--label "For Jane"] [--hours H] --app <slug>')}
  ${run("links revoke <id> --app <slug>")}

Options:
  -l, --label <text>     What the link is for (invite: default "For <email>")
      --email <address>  With create: mail an invitation too, as invite does
      --hours <n>        Hours until the link expires (default 168, at most 720)`,
  apps: (run) =>
    `Apps: each is served at {slug}.{apps domain}.

Usage:
  ${run("apps [list]")}
  ${run('apps create <slug> [--name "My shop"]')}
  ${run("apps delete <slug> [--yes]")}

Options:
      --name <text>      The app's name (default: the slug)
  -y, --yes              Delete without asking for the slug to be typed`,
  tokens: (run) =>
    `API tokens, for CI and scripts.

Usage:
  ${run("tokens [list]")}
  ${run("tokens create <name> [--scope deploy] [--days N]")}
  ${run("tokens revoke <id>")}

Options:
      --scope <scope>    read, deploy (what CI needs to deploy) or full (default)
      --days <n>         Refuse the token after n days (1 to 365; default: never)`,
  stats: (run) =>
    `Conversion per version per day: visitors, page views, carts, orders, revenue,
orders per visitor and per cart. Under a traffic split, each arm's conversion with
its 95 % interval and a verdict; then the releases of those days.

Usage:
  ${run("stats <app> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--mode live|test]")}

Options:
      --from <day>       First day, UTC (default: 29 days before --to)
      --to <day>         Last day, UTC (default: today)
      --mode <mode>      live (default), or test: what came through test links`,
};

/** `--help` of one command. */
export function commandHelp(command: string, run = commandLine): string {
  return `${HELP[command](run)}\n\n${COMMON}\n\n${EXIT_CODES}`;
}

/** `--help` without a command. */
export function overview(run = commandLine): string {
  return `Switchyard CLI: create apps, deploy storefronts, test them, switch what is live.

Usage:
  ${run("<command> [arguments] [options]")}
  ${run("<command> --help")}

Commands:
  apps       Create, list and delete apps
  deploy     Upload a folder as a new version (--promote, --link)
  versions   List versions and which is live
  promote    Make a version live
  rollback   Go back to the version live before
  links      Create, list, revoke test links; invite someone by email
  stats      Conversion per version per day, and how a split is doing
  tokens     Create, list, revoke API tokens

${COMMON}

${EXIT_CODES}`;
}
