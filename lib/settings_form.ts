/**
 * The admin's settings form, derived from a version's fields (`fields/settings.json`,
 * `fields/style.json`): which control each field gets, grouped by `section`, and how the posted
 * strings become values again. Pure, with its own shape of a field (the same as
 * package/field_values.ts's `Field`, which fits it) so pages and islands may both use it.
 */

type Scalar = string | number | boolean;

/** A settings field as a package declares it (Comecero's format). */
export interface FieldSpec {
  name: string;
  type: "string" | "text" | "boolean" | "integer" | "decimal" | "color" | "image";
  label?: string;
  description?: string;
  section?: string;
  required?: boolean;
  default_value?: Scalar | null;
  options?: { display: string; value: Scalar }[];
  min_length?: number;
  max_length?: number;
  min_value?: number;
  max_value?: number;
}

export type ControlKind = "text" | "textarea" | "checkbox" | "number" | "color" | "select" | "url";

/** One control of the form, ready to render. */
export interface Control {
  /** The form field's name: `<group>.<field>`, as the API's per-field errors name it. */
  name: string;
  label: string;
  description: string | null;
  kind: ControlKind;
  required: boolean;
  /** The value to show, as text (`"true"`/`"false"` for a checkbox). */
  value: string;
  /** `<input>` limits: minlength/maxlength, min/max/step. */
  limits: Record<string, string | number>;
  options: { label: string; value: string }[];
  /** An example of what to type, where the control takes free text. */
  placeholder: string | null;
}

export interface FormSection {
  title: string;
  controls: Control[];
}

const GENERAL = "General";

/** The control a field is edited with. */
function controlKind(field: FieldSpec): ControlKind {
  if (field.options?.length) return "select";
  switch (field.type) {
    case "text":
      return "textarea";
    case "boolean":
      return "checkbox";
    case "integer":
    case "decimal":
      return "number";
    case "color":
      return "color";
    case "image":
      return "url";
    default:
      return "text";
  }
}

function limitsOf(field: FieldSpec): Record<string, string | number> {
  const limits: Record<string, string | number> = {};
  if (field.min_length !== undefined) limits.minlength = field.min_length;
  if (field.max_length !== undefined) limits.maxlength = field.max_length;
  if (field.min_value !== undefined) limits.min = field.min_value;
  if (field.max_value !== undefined) limits.max = field.max_value;
  if (field.type === "integer") limits.step = 1;
  if (field.type === "decimal") limits.step = "any";
  return limits;
}

/** `<input type=color>` takes `#rrggbb` only: `#abc` is widened, anything else left to text. */
export function colorInputValue(value: string): string | null {
  if (/^#[0-9a-fA-F]{6}$/.test(value)) return value.toLowerCase();
  const short = /^#([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])$/.exec(value);
  return short
    ? `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase()
    : null;
}

function controlOf(group: string, field: FieldSpec, value: unknown): Control {
  let kind = controlKind(field);
  let text = value === null || value === undefined ? "" : String(value);
  let placeholder: string | null = null;
  if (kind === "color") {
    // A picker always holds some colour, so an unset colour (or one with alpha, which a picker
    // would drop) is edited as text: saving the form must not invent a value.
    const color = text ? colorInputValue(text) : null;
    if (color === null) {
      kind = "text";
      placeholder = "#1a2b3c";
    } else text = color;
  }
  return {
    name: `${group}.${field.name}`,
    label: field.label || field.name,
    description: field.description || null,
    kind,
    required: field.required === true,
    value: text,
    limits: limitsOf(field),
    options: (field.options ?? []).map((o) => ({ label: o.display, value: String(o.value) })),
    placeholder,
  };
}

/**
 * The form's sections in the order the package first names them (fields without a section
 * under "General"), each field shown with `values[name]` (already resolved with defaults).
 */
export function formSections(
  group: string,
  fields: FieldSpec[],
  values: Record<string, unknown>,
): FormSection[] {
  const sections = new Map<string, Control[]>();
  for (const field of fields) {
    const title = field.section?.trim() || GENERAL;
    if (!sections.has(title)) sections.set(title, []);
    sections.get(title)!.push(controlOf(group, field, values[field.name]));
  }
  return [...sections].map(([title, controls]) => ({ title, controls }));
}

/**
 * The values a posted form means for `fields` of `group`: numbers and booleans as such, an empty
 * optional field left out (its default then applies). Text that is not a number stays text, so
 * the validator reports it against the field ("must be a number") instead of it vanishing.
 */
export function valuesFromForm(
  group: string,
  fields: FieldSpec[],
  form: { get(name: string): unknown },
): Record<string, Scalar> {
  const values: Record<string, Scalar> = {};
  for (const field of fields) {
    const raw = form.get(`${group}.${field.name}`);
    if (field.type === "boolean") {
      values[field.name] = raw === "true" || raw === "on";
      continue;
    }
    if (typeof raw !== "string" || raw === "") continue;
    values[field.name] = typedValue(field, raw);
  }
  return values;
}

function typedValue(field: FieldSpec, raw: string): Scalar {
  // An option's value keeps its declared type: a select posts `"3"` for the option `3`.
  const option = field.options?.find((o) => String(o.value) === raw);
  if (option) return option.value;
  if (field.type === "integer" || field.type === "decimal") {
    const number = Number(raw.trim());
    return raw.trim() !== "" && Number.isFinite(number) ? number : raw;
  }
  return raw;
}
