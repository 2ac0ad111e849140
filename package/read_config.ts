/**
 * Reading a package's configuration files at install: the settings schemas and
 * `switchyard.json`, each validated, within what the version record can hold.
 */
import { PackageError } from "../lib/errors.ts";
import { parseFields } from "./fields.ts";
import { type PackageConfig, SETTINGS_FIELDS_PATH, STYLE_FIELDS_PATH } from "./package_config.ts";
import { DEFAULT_SITE_CONFIG, SITE_CONFIG_PATH } from "./site_config.ts";
import { parseSiteConfig } from "./site_config_parse.ts";

/** Fields files are stored inside the version record, which KV caps at 64 KiB in all. */
const MAX_FIELDS_BYTES = 24 * 1024;
/** What the version record may spend on configuration, leaving room for its other fields. */
const MAX_CONFIG_BYTES = 56 * 1024;

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
