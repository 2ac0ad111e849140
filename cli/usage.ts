/** The `--help` text; docs/CLI.md says the same at length. */
export const USAGE = `Switchyard CLI: deploy storefront apps and switch what is live.

Usage:
  deno task deploy [dir] --app <slug> [--label L] [--message M]
                   [--promote] [--expect N|none] [--link "label"] [--json]
  deno task versions [--app <slug>] [--limit N] [--json]
  deno task promote <n> [--app <slug>] [--expect N|none] [--json]
  deno task rollback [--app <slug>] [--json]
  deno task links [<n> --label "label"] [--app <slug>] [--json]

  Outside this repository: deno run -A https://<platform>/cli.js <command> …

Commands:
  deploy     Upload the files of [dir] (default ".") as a new version; only files the
             server lacks are sent. --promote makes it live, --link creates a test link.
  versions   List versions, newest first; the live one is marked "*".
  promote    Make version <n> live.
  rollback   Go back to the version live before the current one.
  links      List test links, or create one for version <n>.

Options:
  -a, --app <slug>       The app (env SWITCHYARD_APP, or "app" in switchyard.json)
      --url <url>        Platform URL (env SWITCHYARD_URL, or "url" in switchyard.json)
      --token <token>    API token (env SWITCHYARD_TOKEN)
  -l, --label <text>     Version label (deploy) or test link label (links)
  -m, --message <text>   Version message
      --promote          Make the new version live after the deploy
      --expect <N|none>  Only go live if version N (or nothing) is live now; implies --promote
      --link <label>     Create a test link for the new version
      --source-maps      Deploy *.map files too (left out by default)
      --concurrency <n>  Uploads in flight at once (default 8)
      --limit <n>        How many versions to list (default 20)
      --json             Print one JSON object on stdout at the end
  -q, --quiet            No progress on stderr
  -h, --help             This text

Files left out: dotfiles and dot-folders (except .well-known/), node_modules/, *.map,
and whatever .switchyardignore in [dir] lists (gitignore syntax). A symlink leading
outside [dir] refuses the package (exit 5); links inside it are followed.

Exit codes: 0 ok, 1 unexpected error, 2 usage or configuration, 3 token refused,
4 app or version not found, 5 package refused, 6 conflict (stale --expect, nothing to
roll back to), 7 server unreachable after retries, 130 interrupted (rerun to resume).`;
