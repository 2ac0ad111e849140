/**
 * Settings fields of a package (`fields/settings.json`, `fields/style.json`) in the format of
 * Comecero's hosted apps, parsed at install, so a malformed file refuses the package naming the
 * field. A merchant's values are checked against them by field_values.ts.
 */
import { z } from "zod";
import { PackageError } from "../lib/errors.ts";
import { checkValue, type Field, FIELD_TYPES } from "./field_values.ts";

const Scalar = z.union([z.string().max(10_000), z.number(), z.boolean()]);
/** Comecero's published field files write some numbers as strings (`"max_length": "100"`). */
const NumberLike = z.union([
  z.number(),
  z.string().trim().regex(/^-?\d+(\.\d+)?$/, "A number").transform(Number),
]);

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
  min_length: NumberLike.pipe(z.number().int().min(0)).optional(),
  max_length: NumberLike.pipe(z.number().int().min(0)).optional(),
  min_value: NumberLike.optional(),
  max_value: NumberLike.optional(),
}).transform(numbersAsWritten);

/**
 * A field's default and option values in its own type: Comecero's published packages write an
 * `integer` field's `"default_value": "1"` and options `"0"`…`"3"` as strings, and booleans as
 * `"true"`. They install unchanged, and the values are what the app reads at run time.
 */
function numbersAsWritten<
  T extends { type: string; default_value?: unknown; options?: { value: unknown }[] },
>(
  field: T,
): T {
  const as = (value: unknown): unknown => {
    if (typeof value !== "string") return value;
    if (
      (field.type === "integer" || field.type === "decimal") && /^-?\d+(\.\d+)?$/.test(value.trim())
    ) {
      return Number(value);
    }
    if (field.type === "boolean" && (value === "true" || value === "false")) {
      return value === "true";
    }
    return value;
  };
  return {
    ...field,
    ...(field.default_value === undefined ? {} : { default_value: as(field.default_value) }),
    ...(field.options === undefined
      ? {}
      : { options: field.options.map((option) => ({ ...option, value: as(option.value) })) }),
  };
}

// The schema and the plain type the edge reads (field_values.ts) must describe the same record.
type Parsed = z.infer<typeof FieldSchema>;
const sameShape: [Parsed, Field] extends [Field, Parsed] ? true : never = true;
void sameShape;

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
