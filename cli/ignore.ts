/**
 * Which files of the deployed folder are left out: built-in defaults, then the rules of
 * `.switchyardignore` at its root, in the gitignore syntax most developers already know
 * (`#` comments, `!` re-includes, a trailing `/` for folders, a leading `/` anchors, `*`,
 * `?` and `**`). The last rule that matches an entry wins.
 */

const IGNORE_FILE = ".switchyardignore";

/**
 * Defaults: dotfiles (`.env`, `.git/` hold secrets and history, never storefront content) and
 * dependencies. `.well-known/` stays in: it serves domain verification files (Apple Pay,
 * security.txt) that must be public. `switchyard.json` stays in too: besides the CLI's `deploy`
 * section it holds the package's serving rules (redirects, headers), which the server reads at
 * install; the edge never serves the file itself.
 */
const DEFAULT_RULES = [".*", "!.well-known/", "node_modules/"];
/** Source maps reveal the original sources to every shopper; in only on request. */
const SOURCE_MAP_RULE = "*.map";

interface Rule {
  negate: boolean;
  folderOnly: boolean;
  regex: RegExp;
}

export interface IgnoreOptions {
  /** Deploy `*.map` files too (they are left out by default). */
  sourceMaps?: boolean;
}

export class Ignore {
  readonly #rules: Rule[];

  constructor(patterns: readonly string[]) {
    this.#rules = patterns.flatMap((line) => {
      const rule = parseRule(line);
      return rule ? [rule] : [];
    });
  }

  /**
   * Whether the entry at `path` (relative, "/"-separated) is left out, judged on its own
   * path: as in git, a file inside a left-out folder cannot be re-included, so the walker
   * never reads such a folder and only asks about the entries it does read.
   */
  ignores(path: string, isFolder = false): boolean {
    let ignored = false;
    for (const rule of this.#rules) {
      if (rule.folderOnly && !isFolder) continue;
      if (rule.regex.test(path)) ignored = !rule.negate;
    }
    return ignored;
  }

  /** Whether a file is left out, itself or through one of its folders. */
  ignoresFile(path: string): boolean {
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
      if (this.ignores(path.slice(0, slash), true)) return true;
    }
    return this.ignores(path);
  }
}

/** Defaults plus the folder's `.switchyardignore`, if there is one. */
export async function loadIgnore(dir: string, options: IgnoreOptions = {}): Promise<Ignore> {
  const rules = [...DEFAULT_RULES];
  if (!options.sourceMaps) rules.push(SOURCE_MAP_RULE);
  try {
    rules.push(...(await Deno.readTextFile(`${dir}/${IGNORE_FILE}`)).split(/\r?\n/));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return new Ignore(rules);
}

function parseRule(line: string): Rule | null {
  let pattern = line.trimEnd();
  if (pattern === "" || pattern.startsWith("#")) return null;
  const negate = pattern.startsWith("!");
  if (negate) pattern = pattern.slice(1);
  if (pattern.startsWith("\\")) pattern = pattern.slice(1);
  const folderOnly = pattern.endsWith("/");
  if (folderOnly) pattern = pattern.replace(/\/+$/, "");
  // As in gitignore, a pattern with a "/" before its end is relative to the root; one
  // without matches a name at any depth.
  const anchored = pattern.includes("/");
  pattern = pattern.replace(/^\//, "");
  if (pattern === "") return null;
  const body = globToRegex(pattern);
  const regex = new RegExp(anchored ? `^${body}$` : `(?:^|/)${body}$`);
  return { negate, folderOnly, regex };
}

function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === "*" && glob[i + 1] === "*") {
      const slash = glob[i + 2] === "/";
      out += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (char === "*") out += "[^/]*";
    else if (char === "?") out += "[^/]";
    else if (char === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end === -1) out += "\\[";
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else out += char.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return out;
}
