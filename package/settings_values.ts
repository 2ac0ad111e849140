/**
 * The package's rules for an app's settings values: what shoppers see (stored values over the
 * schema's defaults) and what a merchant may store (every value valid for its field, and each
 * stored part small enough for one KV value).
 */
import { ValidationError } from "../lib/errors.ts";
import { type FieldError, resolveValues } from "./field_values.ts";
import type { PackageConfig } from "./package_config.ts";

/** Custom code and values each live in one KV value (64 KiB): 50 KiB leaves room under the cap. */
const MAX_SETTINGS_BYTES = 50 * 1024;

/** The parts of an app's settings the rules read. */
export interface SettingsValues {
  app: Record<string, unknown>;
  style: Record<string, unknown>;
  script: string;
  css: string;
}

/** The values shoppers see: stored values over the schema's defaults (unknown names dropped). */
export function resolveSettings(
  stored: Pick<SettingsValues, "app" | "style">,
  config: PackageConfig | null,
) {
  return {
    app:
      resolveValues("app", config?.fields.settings ?? [], pick(stored.app, config?.fields.settings))
        .values,
    style:
      resolveValues("style", config?.fields.style ?? [], pick(stored.style, config?.fields.style))
        .values,
  };
}

function pick(values: Record<string, unknown>, fields: { name: string }[] | undefined) {
  const names = new Set((fields ?? []).map((field) => field.name));
  return Object.fromEntries(Object.entries(values).filter(([name]) => names.has(name)));
}

/** A `ValidationError` listing every failing field: schema values, and each stored part's cap. */
export function validateSettings(next: SettingsValues, config: PackageConfig | null): void {
  const errors: FieldError[] = [
    ...resolveValues("app", config?.fields.settings ?? [], next.app).errors,
    ...resolveValues("style", config?.fields.style ?? [], next.style).errors,
  ];
  for (const part of ["script", "css"] as const) {
    const size = new TextEncoder().encode(next[part]).byteLength;
    if (size > MAX_SETTINGS_BYTES) {
      errors.push({
        field: part,
        message: `must be at most ${MAX_SETTINGS_BYTES} bytes (is ${size})`,
      });
    }
  }
  const valuesSize = new TextEncoder().encode(JSON.stringify([next.app, next.style])).byteLength;
  if (valuesSize > MAX_SETTINGS_BYTES) {
    errors.push({
      field: "app",
      message: `values must be at most ${MAX_SETTINGS_BYTES} bytes in all`,
    });
  }
  if (errors.length) {
    const names = errors.map((error) => `"${error.field}"`).join(", ");
    throw new ValidationError(`Invalid settings: check ${names}`, errors);
  }
}
