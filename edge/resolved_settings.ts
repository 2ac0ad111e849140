/**
 * An app's `/settings/app.*` and `/settings/style.*` values: its stored settings resolved against
 * the settings schema of the version the shopper sees. Both inputs are cached objects that stay
 * the same until they change (the settings cache hands out one record until it reads a changed
 * one; a version's record never changes), so the values are resolved once per pair, not once per
 * request: resolving checks every field of the schema.
 */
import type { StoredSettings } from "../kv/settings.ts";
import type { PackageConfig } from "../package/package_config.ts";
import { resolveSettings } from "../package/settings_values.ts";

type Resolved = ReturnType<typeof resolveSettings>;

/** A version without a config (no settings schema) is keyed by this object instead. */
const NO_CONFIG = {};

const resolved = new WeakMap<StoredSettings, WeakMap<object, Resolved>>();

/** `resolveSettings(stored, config)`, made once per stored record and version config. */
export function resolvedSettings(stored: StoredSettings, config: PackageConfig | null): Resolved {
  let byConfig = resolved.get(stored);
  if (byConfig === undefined) resolved.set(stored, byConfig = new WeakMap());
  const key = config ?? NO_CONFIG;
  let values = byConfig.get(key);
  if (values === undefined) byConfig.set(key, values = resolveSettings(stored, config));
  return values;
}
