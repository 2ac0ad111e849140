/**
 * The files of a package that configure Switchyard rather than being served as-is: the
 * settings schemas (`fields/settings.json`, `fields/style.json`) and `switchyard.json` (how the
 * edge serves the package). They are read once at install (read_config.ts) and kept in the
 * version record, so nothing parses them per request; the edge reads only what is here.
 */
import type { Field } from "./field_values.ts";
import { DEFAULT_SITE_CONFIG, SITE_CONFIG_PATH, type SiteConfig } from "./site_config.ts";

export const SETTINGS_FIELDS_PATH = "fields/settings.json";
export const STYLE_FIELDS_PATH = "fields/style.json";
const CONFIG_PATHS = [SETTINGS_FIELDS_PATH, STYLE_FIELDS_PATH, SITE_CONFIG_PATH];

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
