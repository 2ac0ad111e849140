/**
 * Settings fields of a package (`fields/settings.json`, `fields/style.json`) in the format of
 * Comecero's hosted apps, and validation of a merchant's values against them. The schema is
 * checked at install, so a malformed file refuses the package naming the field.
 */
import { z } from "zod";
import { PackageError } from "../lib/errors.ts";

export const FIELD_TYPES = [
  "string",
  "text",
  "boolean",
  "integer",
  "decimal",
  "color",
  "image",
] as const;

const Scalar = z.union([z.string().max(10_000), z.number(), z.boolean()]);

const FieldSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, "Use letters, digits, _ and -"),
  type: z.enum(FIELD_TYPES),
  label: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  section: z.string().max(200).optional(),
  required: z.boolean().optional(),
  default_value: Scalar.nullable().optional(),
  options: z.array(z.object({ display: z.string().max(200), value: Scalar })).max(500)
    .optional(),
  min_length: z.number().int().min(0).optional(),
  max_length: z.number().int().min(0).optional(),
  min_value: z.number().optional(),
  max_value: z.number().optional(),
});

export type Field = z.infer<typeof FieldSchema>;

const FieldList = z.array(FieldSchema).max(500);
/** Comecero's files are a list of fields; a `{fields: [...]}` wrapper is accepted too. */
const FieldsFile = z.object({ fields: FieldList });

/** Parses a fields file; a malformed one is a PackageError naming the file and the field. */
export function parseFields(path: string, bytes: Uint8Array): Field[] {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new PackageError(
      "invalid_fields",
      `Settings schema is not valid JSON: "${path}" (${(error as Error).message})`,
      path,
    );
  }
  const parsed = Array.isArray(raw)
    ? FieldList.safeParse(raw)
    : FieldsFile.transform((file) => file.fields).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = describeIssuePath(raw, issue.path);
    throw new PackageError(
      "invalid_fields",
      `Settings schema field ${at} is invalid in "${path}": ${issue.message}`,
      path,
    );
  }
  const names = new Set<string>();
  for (const field of parsed.data) {
    if (names.has(field.name)) {
      throw new PackageError(
        "invalid_fields",
        `Settings schema names a field twice in "${path}": "${field.name}"`,
        path,
      );
    }
    names.add(field.name);
    if (field.default_value !== undefined && field.default_value !== null) {
      const problem = checkValue(field, field.default_value);
      if (problem) {
        throw new PackageError(
          "invalid_fields",
          `Default of settings field "${field.name}" in "${path}" ${problem}`,
          path,
        );
      }
    }
  }
  return parsed.data;
}

function describeIssuePath(raw: unknown, path: PropertyKey[]): string {
  const list = Array.isArray(raw) ? raw : (raw as { fields?: unknown[] })?.fields;
  const index = path.find((part) => typeof part === "number") as number | undefined;
  const name = index !== undefined ? (list?.[index] as { name?: unknown })?.name : undefined;
  const where = path.map(String).join(".");
  return typeof name === "string" ? `"${name}" (${where})` : `"${where}"`;
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
