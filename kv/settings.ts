/**
 * Runtime settings of an app: the merchant's values for the fields the package declares
 * (`app`, `style`), plus a custom `script` and `css`. Stored as three keys so each stays under
 * KV's 64 KiB value cap; validated against the schema of the version that is live.
 */
import { ValidationError } from "../lib/errors.ts";
import { type FieldError, resolveValues } from "../package/fields.ts";
import type { PackageConfig } from "../package/package_config.ts";
import { nowIso } from "./ids.ts";
import { settingsKey } from "./keys.ts";
import { notifyChange } from "./changes.ts";
import type { App } from "./apps.ts";

export interface StoredSettings {
  app: Record<string, unknown>;
  style: Record<string, unknown>;
  script: string;
  css: string;
  updated_at: string | null;
}

/** Custom code and values each live in one KV value: 50 KiB leaves room under the cap. */
export const MAX_SETTINGS_BYTES = 50 * 1024;

const EMPTY: StoredSettings = { app: {}, style: {}, script: "", css: "", updated_at: null };

export async function getSettings(
  kv: Deno.Kv,
  appId: string,
  consistency: Deno.KvConsistencyLevel = "strong",
): Promise<StoredSettings> {
  return (await readSettings(kv, appId, consistency)).settings;
}

/** The settings and the three entries they came from (for a checked update). */
async function readSettings(
  kv: Deno.Kv,
  appId: string,
  consistency: Deno.KvConsistencyLevel = "strong",
) {
  const entries = await kv.getMany<
    [
      { app: Record<string, unknown>; style: Record<string, unknown>; updated_at: string },
      string,
      string,
    ]
  >(
    [settingsKey(appId, "values"), settingsKey(appId, "script"), settingsKey(appId, "css")],
    { consistency },
  );
  const [values, script, css] = entries;
  const settings: StoredSettings = {
    ...EMPTY,
    ...(values.value ?? {}),
    script: script.value ?? "",
    css: css.value ?? "",
  };
  return { settings, entries };
}

/** The values shoppers see: stored values over the schema's defaults (unknown names dropped). */
export function resolveSettings(stored: StoredSettings, config: PackageConfig | null) {
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

export interface SettingsInput {
  app?: Record<string, unknown>;
  style?: Record<string, unknown>;
  script?: string;
  css?: string;
}

/**
 * Replaces the parts given (`app`, `style`, `script`, `css`), after validating every value
 * against `config`; 422 lists every failing field.
 */
export async function putSettings(
  kv: Deno.Kv,
  app: App,
  input: SettingsInput,
  config: PackageConfig | null,
): Promise<StoredSettings> {
  // Two merchants saving different parts at once must not undo each other: the commit checks
  // what was read, and a lost race starts over from the newer values.
  for (;;) {
    const { settings: current, entries } = await readSettings(kv, app.id);
    const next = merged(current, input);
    validate(next, config);
    let op = kv.atomic();
    for (const entry of entries) op = op.check(entry);
    const result = await op
      .set(settingsKey(app.id, "values"), {
        app: next.app,
        style: next.style,
        updated_at: next.updated_at,
      })
      .set(settingsKey(app.id, "script"), next.script)
      .set(settingsKey(app.id, "css"), next.css)
      .commit();
    if (result.ok) {
      notifyChange({ kind: "settings", appId: app.id });
      return next;
    }
  }
}

function merged(current: StoredSettings, input: SettingsInput): StoredSettings {
  return {
    app: input.app ?? current.app,
    style: input.style ?? current.style,
    script: input.script ?? current.script,
    css: input.css ?? current.css,
    updated_at: nowIso(),
  };
}

/** 422 listing every failing field: schema values, and the size caps of each stored part. */
function validate(next: StoredSettings, config: PackageConfig | null): void {
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
