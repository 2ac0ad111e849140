/**
 * The settings form generated from a version's `fields/settings.json` and `fields/style.json`:
 * a fieldset per section, the control each field type wants (lib/settings_form.ts), and the
 * server's message under each field it refused. Plain HTML: it posts without any script.
 */
import type { VNode } from "preact";
import type { Control, FormSection } from "../lib/settings_form.ts";
import { CsrfField } from "./ui.tsx";

export interface SettingsGroup {
  /** `app` (settings.json) or `style` (style.json). */
  name: string;
  title: string;
  sections: FormSection[];
}

interface Props {
  groups: SettingsGroup[];
  /** Messages by form field name (`app.headline`), as the API's 422 details name them. */
  errors: Record<string, string>;
  /** False for a role that may only read: controls are shown disabled, with no save button. */
  canEdit: boolean;
  csrf: string;
}

const idOf = (name: string) => `setting-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;

function Input({ control, disabled, describedBy }: {
  control: Control;
  disabled: boolean;
  describedBy: string | undefined;
}): VNode {
  const common = {
    id: idOf(control.name),
    name: control.name,
    disabled,
    required: control.required,
    "aria-describedby": describedBy,
  };
  switch (control.kind) {
    case "textarea":
      return <textarea {...common} {...control.limits} rows={4}>{control.value}</textarea>;
    case "checkbox":
      return <input {...common} type="checkbox" value="true" checked={control.value === "true"} />;
    case "select":
      return (
        <select {...common}>
          {!control.required && <option value="">(default)</option>}
          {control.options.map((option) => (
            <option value={option.value} selected={option.value === control.value}>
              {option.label}
            </option>
          ))}
        </select>
      );
    case "number":
      return (
        <input
          {...common}
          type="number"
          inputMode="decimal"
          value={control.value}
          {...control.limits}
        />
      );
    case "color":
      return <input {...common} type="color" value={control.value} />;
    case "url":
      return (
        <input
          {...common}
          type="text"
          inputMode="url"
          placeholder="https://… or /images/logo.png"
          value={control.value}
          {...control.limits}
        />
      );
    default:
      return (
        <input
          {...common}
          type="text"
          value={control.value}
          placeholder={control.placeholder ?? undefined}
          {...control.limits}
        />
      );
  }
}

function limitsText(control: Control): string | null {
  const { min, max, minlength, maxlength } = control.limits;
  if (min !== undefined && max !== undefined) return `From ${min} to ${max}.`;
  if (min !== undefined) return `At least ${min}.`;
  if (max !== undefined) return `At most ${max}.`;
  if (maxlength !== undefined) {
    return minlength
      ? `${minlength} to ${maxlength} characters.`
      : `Up to ${maxlength} characters.`;
  }
  return null;
}

function Field({ control, error, disabled }: {
  control: Control;
  error: string | undefined;
  disabled: boolean;
}): VNode {
  const id = idOf(control.name);
  // A picker shows a swatch only: the value itself is written beside it.
  const shown = control.kind === "color" ? `Now ${control.value}.` : null;
  const hint = [control.description, limitsText(control), shown].filter(Boolean).join(" ");
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ");
  const check = control.kind === "checkbox";
  return (
    <div class={`field${check ? " check" : ""}${error ? " invalid" : ""}`}>
      {check && (
        <Input control={control} disabled={disabled} describedBy={describedBy || undefined} />
      )}
      <label for={id}>
        {control.label}
        {control.required && <span class="required" aria-hidden="true">*</span>}
      </label>
      {!check && (
        <Input control={control} disabled={disabled} describedBy={describedBy || undefined} />
      )}
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="error-text" id={`${id}-error`}>{control.label} {error}</p>}
    </div>
  );
}

export function SettingsForm({ groups, errors, canEdit, csrf }: Props): VNode {
  const count = Object.keys(errors).length;
  return (
    <form method="post" class="settings-form" novalidate>
      <CsrfField token={csrf} />
      {count > 0 && (
        <div class="error-box" role="alert" id="settings-errors">
          <strong>{count === 1 ? "One setting needs" : `${count} settings need`} a change:</strong>
          <ul>
            {Object.entries(errors).map(([name, message]) => (
              <li>
                <a href={`#${idOf(name)}`}>{name}</a> {message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {groups.map((group) => (
        <section class="card" aria-labelledby={`group-${group.name}`}>
          <h2 id={`group-${group.name}`}>{group.title}</h2>
          {group.sections.map((section) => (
            <fieldset class="settings-section">
              <legend>{section.title}</legend>
              <div class="settings-grid">
                {section.controls.map((control) => (
                  <Field control={control} error={errors[control.name]} disabled={!canEdit} />
                ))}
              </div>
            </fieldset>
          ))}
        </section>
      ))}
      {canEdit && (
        <div class="form-actions">
          <button type="submit" class="button primary">Save settings</button>
        </div>
      )}
    </form>
  );
}
