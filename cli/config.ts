/**
 * Where the CLI's settings come from, first found wins: flags, then the environment
 * (`SWITCHYARD_URL`, `SWITCHYARD_TOKEN`, `SWITCHYARD_APP`), then the `deploy` section of
 * `switchyard.json` in the deployed folder, else in the working folder.
 *
 * The same file holds the package's serving rules (`package/site_config.ts`), so the one in the
 * deployed folder is uploaded with the package; the server accepts the `deploy` section and
 * ignores it when serving.
 */
import { resolve } from "node:path";
import { CliError, ExitCode } from "./errors.ts";
import { servedOrigin } from "./invocation.ts";

export const CONFIG_FILE = "switchyard.json";

export interface Settings {
  url: string;
  token: string;
  /** Empty for the commands that are about the account, not an app (`apps`, `tokens`). */
  app: string;
  dir: string;
  sourceMaps: boolean;
}

export interface SettingFlags {
  url?: string;
  token?: string;
  app?: string;
  dir?: string;
  sourceMaps?: boolean;
}

/** The `deploy` section of `switchyard.json`; the token is deliberately not among them. */
interface FileSettings {
  url?: string;
  app?: string;
  dir?: string;
  source_maps?: boolean;
}

type Env = (name: string) => string | undefined;

export async function resolveSettings(
  flags: SettingFlags,
  env: Env = (name) => Deno.env.get(name),
  needApp = true,
): Promise<Settings> {
  // `deno task` runs in the folder of deno.json and keeps the caller's folder in INIT_CWD;
  // `deno task deploy dist` from a subfolder means that subfolder's dist.
  const cwd = env("INIT_CWD") ?? Deno.cwd();
  const cwdFile = (await readConfigFile(resolve(cwd, CONFIG_FILE))) ?? {};
  const dir = resolve(cwd, flags.dir ?? cwdFile.dir ?? ".");
  const file = (await readConfigFile(`${dir}/${CONFIG_FILE}`)) ?? cwdFile;
  const rawUrl = flags.url ?? env("SWITCHYARD_URL") ?? file.url ?? servedOrigin();
  const token = flags.token ?? env("SWITCHYARD_TOKEN");
  const app = flags.app ?? env("SWITCHYARD_APP") ?? file.app;
  if (!rawUrl) {
    throw usage('"SWITCHYARD_URL" must be set (or pass --url), e.g. https://switchyard.example');
  }
  const url = platformUrl(rawUrl);
  if (!token) {
    throw usage(
      '"SWITCHYARD_TOKEN" must be set (or pass --token): the first start of the platform ' +
        "printed one, and tokens create makes more",
    );
  }
  if (!app && needApp) {
    throw usage(`Name the app: pass --app <slug> or set "app" in ${CONFIG_FILE}`);
  }
  return {
    url,
    token,
    app: app ?? "",
    dir,
    sourceMaps: flags.sourceMaps ?? file.source_maps ?? false,
  };
}

/** Hosts that only ever mean this machine, where plain http is what a local server speaks. */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The platform URL with its scheme. `localhost:8000` is read as `http://localhost:8000`; any
 * other host without a scheme is refused rather than guessed: sending a token over http to a
 * host that expects https would put it on the wire in clear.
 */
export function platformUrl(raw: string): string {
  const text = raw.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : null;
  if (withScheme === null) {
    const host = text.split(/[/?#]/)[0].replace(/:\d*$/, "").toLowerCase();
    if (LOOPBACK.has(host) || host.endsWith(".localhost")) return `http://${text}`;
    throw usage(
      `URL has no scheme: ${JSON.stringify(text)}`,
      `Write it in full: "https://${text}" (only localhost may go without, as http)`,
    );
  }
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw usage(`Not a valid URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw usage(`URL scheme must be http or https: ${JSON.stringify(text)}`);
  }
  return withScheme;
}

/**
 * The deploy section of a config file (`{}` without one), or null when there is no file.
 * Throws a usage error (exit 2) for a malformed file or section, and for a `token` in it.
 */
export async function readConfigFile(path: string): Promise<FileSettings | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw usage(`Cannot read ${JSON.stringify(path)}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw usage(`${JSON.stringify(path)} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed) || parsed.deploy === undefined) return {};
  return checkSection(path, parsed.deploy);
}

function checkSection(path: string, section: unknown): FileSettings {
  if (!isObject(section)) {
    throw usage(`"deploy" in ${JSON.stringify(path)} must be an object`);
  }
  // The file is usually committed, and the one in the deployed folder is uploaded with the
  // package: a token in it would leak. Refusing is kinder than silently using it.
  if ("token" in section) {
    throw usage(
      `Remove "token" from ${JSON.stringify(path)}: keep tokens out of files, set SWITCHYARD_TOKEN`,
    );
  }
  for (const key of ["url", "app", "dir"] as const) {
    if (section[key] !== undefined && typeof section[key] !== "string") {
      throw usage(`"deploy.${key}" in ${JSON.stringify(path)} must be a string`);
    }
  }
  if (section.source_maps !== undefined && typeof section.source_maps !== "boolean") {
    throw usage(`"deploy.source_maps" in ${JSON.stringify(path)} must be true or false`);
  }
  return section as FileSettings;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function usage(message: string, ...lines: string[]): CliError {
  return new CliError(ExitCode.usage, message, lines, "usage");
}
