/**
 * The files of a package that configure Switchyard rather than being served as-is: the
 * settings schemas (`fields/settings.json`, `fields/style.json`). They are read once at install
 * and kept in the version record, so nothing parses them per request.
 */
import { PackageError } from "../lib/errors.ts";
import { type Field, parseFields } from "./fields.ts";

export const SETTINGS_FIELDS_PATH = "fields/settings.json";
export const STYLE_FIELDS_PATH = "fields/style.json";
export const CONFIG_PATHS = [SETTINGS_FIELDS_PATH, STYLE_FIELDS_PATH];

/** Fields files are stored inside the version record, which KV caps at 64 KiB in all. */
const MAX_FIELDS_BYTES = 24 * 1024;

export interface PackageConfig {
  fields: { settings: Field[]; style: Field[] };
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
  return {
    fields: {
      settings: await fields(SETTINGS_FIELDS_PATH),
      style: await fields(STYLE_FIELDS_PATH),
    },
  };
}
