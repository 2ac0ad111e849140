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

export const CONFIG_FILE = "switchyard.json";

export interface Settings {
  url: string;
  token: string;
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
): Promise<Settings> {
  // `deno task` runs in the folder of deno.json and keeps the caller's folder in INIT_CWD;
  // `deno task deploy dist` from a subfolder means that subfolder's dist.
  const cwd = env("INIT_CWD") ?? Deno.cwd();
  const cwdFile = (await readConfigFile(resolve(cwd, CONFIG_FILE))) ?? {};
  const dir = resolve(cwd, flags.dir ?? cwdFile.dir ?? ".");
  const file = (await readConfigFile(`${dir}/${CONFIG_FILE}`)) ?? cwdFile;
  const url = flags.url ?? env("SWITCHYARD_URL") ?? file.url ?? servedFromOrigin();
  const token = flags.token ?? env("SWITCHYARD_TOKEN");
  const app = flags.app ?? env("SWITCHYARD_APP") ?? file.app;
  if (!url) {
    throw usage('"SWITCHYARD_URL" must be set (or pass --url), e.g. https://switchyard.example');
  }
  if (!token) {
    throw usage('"SWITCHYARD_TOKEN" must be set (or pass --token): create one in the admin');
  }
  if (!app) throw usage(`Name the app: pass --app <slug> or set "app" in ${CONFIG_FILE}`);
  return { url, token, app, dir, sourceMaps: flags.sourceMaps ?? file.source_maps ?? false };
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

/** Run as `deno run https://<platform>/cli.js`, the platform is the one that served the CLI. */
function servedFromOrigin(): string | undefined {
  const url = new URL(import.meta.url);
  return url.protocol === "https:" || url.protocol === "http:" ? url.origin : undefined;
}

function usage(message: string): CliError {
  return new CliError(ExitCode.usage, message, [], "usage");
}
