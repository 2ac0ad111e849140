/**
 * Runtime settings of an app: the merchant's values for the fields the package declares
 * (`app`, `style`), plus a custom `script` and `css`. Stored as three keys so each stays under
 * KV's 64 KiB value cap; validated (by the caller's rule) against the schema of the live version.
 */
import { nowIso } from "./ids.ts";
import { settingsKey } from "./keys.ts";
import { notifyChange } from "./changes.ts";
import type { App } from "./apps.ts";
import { type AuditBy, audited } from "./audit.ts";

export interface StoredSettings {
  app: Record<string, unknown>;
  style: Record<string, unknown>;
  script: string;
  css: string;
  updated_at: string | null;
}

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

export interface SettingsInput {
  app?: Record<string, unknown>;
  style?: Record<string, unknown>;
  script?: string;
  css?: string;
}

/**
 * Replaces the parts given (`app`, `style`, `script`, `css`). `validate` sees the settings as they
 * would be after the change and throws to refuse them (the package's rules for its fields live
 * in package/settings_values.ts, so the store stays free of them).
 */
export async function putSettings(
  kv: Deno.Kv,
  app: App,
  input: SettingsInput,
  validate: (next: StoredSettings) => void,
  audit?: AuditBy,
): Promise<StoredSettings> {
  // Two merchants saving different parts at once must not undo each other: the commit checks
  // what was read, and a lost race starts over from the newer values.
  for (;;) {
    const { settings: current, entries } = await readSettings(kv, app.id);
    const next = merged(current, input);
    validate(next);
    let op = kv.atomic();
    for (const entry of entries) op = op.check(entry);
    op
      .set(settingsKey(app.id, "values"), {
        app: next.app,
        style: next.style,
        updated_at: next.updated_at,
      })
      .set(settingsKey(app.id, "script"), next.script)
      .set(settingsKey(app.id, "css"), next.css);
    // Which parts were saved, not their values: a custom script is the merchant's code.
    const parts = (["app", "style", "script", "css"] as const).filter((p) =>
      input[p] !== undefined
    );
    audited(op, audit, "settings.update", { app, summary: { parts: parts.join(",") } });
    const result = await op.commit();
    if (result.ok) {
      notifyChange(kv, { kind: "settings", appId: app.id });
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
