/**
 * A settings field as stored in the version record, and the rules for a merchant's values:
 * which fit a field, and which defaults fill in. No schema library here: the edge resolves
 * values per request and loads this module at start (the files are parsed by fields.ts).
 */

export const FIELD_TYPES = [
  "string",
  "text",
  "boolean",
  "integer",
  "decimal",
  "color",
  "image",
] as const;

type Scalar = string | number | boolean;

/** One field of `fields/settings.json` or `fields/style.json` (Comecero's format). */
export interface Field {
  name: string;
  type: typeof FIELD_TYPES[number];
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

const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

/** Why `value` does not fit `field`, or null when it does. */
export function checkValue(field: Field, value: unknown): string | null {
  switch (field.type) {
    case "string":
    case "text":
    case "image":
      if (typeof value !== "string") return "must be a string";
      if (field.min_length !== undefined && value.length < field.min_length) {
        return `must be at least ${field.min_length} characters`;
      }
      if (field.max_length !== undefined && value.length > field.max_length) {
        return `must be at most ${field.max_length} characters`;
      }
      if (field.type === "image" && value && !/^(https:\/\/|\/|[\w.-]+\/)/.test(value)) {
        return "must be an https URL or a path in the app";
      }
      break;
    case "boolean":
      if (typeof value !== "boolean") return "must be true or false";
      break;
    case "integer":
    case "decimal":
      if (typeof value !== "number" || !Number.isFinite(value)) return "must be a number";
      if (field.type === "integer" && !Number.isInteger(value)) return "must be a whole number";
      if (field.min_value !== undefined && value < field.min_value) {
        return `must be at least ${field.min_value}`;
      }
      if (field.max_value !== undefined && value > field.max_value) {
        return `must be at most ${field.max_value}`;
      }
      break;
    case "color":
      if (typeof value !== "string" || !COLOR.test(value)) return "must be a color like #1a2b3c";
      break;
  }
  if (field.options?.length && !field.options.some((option) => option.value === value)) {
    return `must be one of ${field.options.map((o) => JSON.stringify(o.value)).join(", ")}`;
  }
  return null;
}

export interface FieldError {
  field: string;
  message: string;
}

/**
 * Validates `values` against `fields` and fills in defaults. Every failing field is reported
 * (`{field: "<group>.<name>", message}`), not only the first.
 */
export function resolveValues(
  group: string,
  fields: Field[],
  values: Record<string, unknown>,
): { values: Record<string, unknown>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const known = new Map(fields.map((field) => [field.name, field]));
  for (const name of Object.keys(values)) {
    if (!known.has(name)) {
      errors.push({ field: `${group}.${name}`, message: "is not a field of this app" });
    }
  }
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name] ?? field.default_value ?? null;
    if (value === null || value === "") {
      if (field.required) errors.push({ field: `${group}.${field.name}`, message: "is required" });
      out[field.name] = value;
      continue;
    }
    const problem = checkValue(field, value);
    if (problem) errors.push({ field: `${group}.${field.name}`, message: problem });
    out[field.name] = value;
  }
  return { values: out, errors };
}
