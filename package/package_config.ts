/**
 * The files of a package that configure Switchyard rather than being served as-is: the
 * settings schemas (`fields/settings.json`, `fields/style.json`) and `switchyard.json` (how the
 * edge serves the package). They are read once at install and kept in the version record, so
 * nothing parses them per request.
 */
import { PackageError } from "../lib/errors.ts";
import { type Field, parseFields } from "./fields.ts";
import {
  DEFAULT_SITE_CONFIG,
  parseSiteConfig,
  SITE_CONFIG_PATH,
  type SiteConfig,
} from "./site_config.ts";

export const SETTINGS_FIELDS_PATH = "fields/settings.json";
export const STYLE_FIELDS_PATH = "fields/style.json";
export const CONFIG_PATHS = [SETTINGS_FIELDS_PATH, STYLE_FIELDS_PATH, SITE_CONFIG_PATH];

/** Fields files are stored inside the version record, which KV caps at 64 KiB in all. */
const MAX_FIELDS_BYTES = 24 * 1024;
/** What the version record may spend on configuration, leaving room for its other fields. */
const MAX_CONFIG_BYTES = 56 * 1024;

export interface PackageConfig {
  fields: { settings: Field[]; style: Field[] };
  /** Absent in versions installed before `switchyard.json` was read: the defaults apply. */
  site?: SiteConfig;
}

/** The serving rules of a version, defaults filled in. */
export function siteConfigOf(config: PackageConfig | null | undefined): SiteConfig {
  return config?.site ?? DEFAULT_SITE_CONFIG;
}

/** True for a path (raw, possibly under one top folder) that may be a configuration file. */
export function mayBeConfig(path: string): boolean {
  return CONFIG_PATHS.some((name) => path === name || path.endsWith(`/${name}`));
}

export async function readPackageConfig(
  read: (path: string) => Promise<Uint8Array | null>,
): Promise<PackageConfig> {
  const fields = async (path: string) => {
    const bytes = await read(path);
    if (!bytes) return [];
    if (bytes.byteLength > MAX_FIELDS_BYTES) {
      throw new PackageError(
        "invalid_fields",
        `Settings schema is larger than ${MAX_FIELDS_BYTES / 1024} KiB: "${path}"`,
        path,
      );
    }
    return parseFields(path, bytes);
  };
  const siteBytes = await read(SITE_CONFIG_PATH);
  const config: PackageConfig = {
    fields: {
      settings: await fields(SETTINGS_FIELDS_PATH),
      style: await fields(STYLE_FIELDS_PATH),
    },
    site: siteBytes ? parseSiteConfig(siteBytes) : { ...DEFAULT_SITE_CONFIG },
  };
  const size = new TextEncoder().encode(JSON.stringify(config)).byteLength;
  if (size > MAX_CONFIG_BYTES) {
    throw new PackageError(
      "config_too_large",
      `Package configuration (fields/*.json and ${SITE_CONFIG_PATH}) takes ${size} bytes; ` +
        `the limit is ${MAX_CONFIG_BYTES}: shorten the settings schemas or the rules`,
    );
  }
  return config;
}
