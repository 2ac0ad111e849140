/**
 * The catalog page's forms read into what the merchant API takes: the same zod schemas
 * (routes/api/commerce_schemas.ts), the same currency and minor-unit checks, so a form and a
 * JSON body are held to the same rules. Problems come back per field, for the page to show
 * beside each input.
 */
import type { z } from "@hono/zod-openapi";
import { toMinor } from "../../../commerce/money.ts";
import type { ProductInput, ShoppingOptions } from "../../../kv/catalog.ts";
import { DomainError } from "../../../lib/errors.ts";
import { currencyOf } from "../../api/catalog.ts";
import { ProductCreate, ShoppingOptionsPut } from "../../api/commerce_schemas.ts";

/** Field name → what is wrong with it, in words. */
export type FieldErrors = Record<string, string>;

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();
const optional = (value: string) => value === "" ? null : value;

/** zod's words where a form has its own: a number field left empty or holding words. */
function wordsOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.expected === "number") {
    return "A number, like 24.99";
  }
  return issue.message;
}

/** Field → the first problem with it; a problem in a list names its line (1 is the first). */
function issuesOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const [field = "form", line] = issue.path;
    const where = typeof line === "number" ? `Line ${line + 1}: ` : "";
    errors[String(field)] ??= where + wordsOf(issue);
  }
  return errors;
}

/** A ValidationError's `details` ([{field, message}]) as field errors; other errors rethrown. */
export function fieldErrorsOf(error: unknown, fallback: string): FieldErrors {
  if (!(error instanceof DomainError)) throw error;
  const details = Array.isArray(error.details) ? error.details : [];
  const errors: FieldErrors = {};
  for (const d of details as { field?: string; message?: string }[]) {
    if (d.field) errors[d.field.split(".")[0]] ??= `${error.message} (${d.message})`;
  }
  if (Object.keys(errors).length === 0) errors[fallback] = error.message;
  return errors;
}

/** A product form (`product_id` only on create) as the API's product input, or field errors. */
export function readProduct(
  form: FormData,
): { input: ProductInput | null; errors: FieldErrors } {
  const price = text(form, "price");
  const parsed = ProductCreate.safeParse({
    product_id: optional(text(form, "product_id")) ?? undefined,
    name: text(form, "name"),
    headline: optional(text(form, "headline")),
    description: optional(text(form, "description")),
    price: price === "" || Number.isNaN(Number(price)) ? price : Number(price),
    currency: text(form, "currency").toUpperCase(),
    type: text(form, "type"),
    active: form.get("active") === "on",
  });
  if (!parsed.success) return { input: null, errors: issuesOf(parsed.error) };
  const data = parsed.data;
  try {
    const currency = currencyOf(data.currency);
    return {
      input: {
        product_id: data.product_id ?? "",
        name: data.name,
        description: data.description ?? null,
        headline: data.headline ?? null,
        price: toMinor(data.price, currency),
        currency,
        images: [],
        type: data.type ?? "physical",
        active: data.active ?? true,
      },
      errors: {},
    };
  } catch (error) {
    return { input: null, errors: fieldErrorsOf(error, "price") };
  }
}

const list = (value: string) => value.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
const lines = (value: string) => value.split("\n").map((s) => s.trim()).filter(Boolean);

/** `standard, Standard, 5, USD` per line → shipping methods (commas inside names not allowed). */
function shippingLines(value: string) {
  return lines(value).map((line) => {
    const [method_id, name, price, currency] = line.split(",").map((s) => s.trim());
    return { method_id, name, price: Number(price), currency: (currency ?? "").toUpperCase() };
  });
}

/** `US 8.25` per line → tax rates. */
function taxLines(value: string) {
  return lines(value).map((line) => {
    const [country, rate] = line.split(/[\s,:]+/);
    return { country: (country ?? "").toUpperCase(), rate: Number(rate) };
  });
}

/** The shopping options form as the API's change, or field errors. */
export function readOptions(
  form: FormData,
): { change: Partial<ShoppingOptions> | null; errors: FieldErrors } {
  const parsed = ShoppingOptionsPut.safeParse({
    shipping_methods: shippingLines(text(form, "shipping_methods")),
    tax_rates: taxLines(text(form, "tax_rates")),
    allowed_customer_countries: list(text(form, "allowed_customer_countries").toUpperCase()),
    customer_required_fields: list(text(form, "customer_required_fields")),
    customer_optional_fields: list(text(form, "customer_optional_fields")),
  });
  if (!parsed.success) return { change: null, errors: issuesOf(parsed.error) };
  const { shipping_methods = [], ...rest } = parsed.data;
  try {
    const methods = shipping_methods.map((m) => {
      const currency = currencyOf(m.currency);
      return { ...m, currency, price: toMinor(m.price, currency, "shipping_methods.price") };
    });
    return { change: { ...rest, shipping_methods: methods }, errors: {} };
  } catch (error) {
    return { change: null, errors: fieldErrorsOf(error, "shipping_methods") };
  }
}
