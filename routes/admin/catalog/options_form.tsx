/**
 * The shopping options form: flat-rate shipping and tax rates one per line, countries and
 * customer fields as lists. An analyst sees the same values as text, without the form.
 */
import { CsrfField } from "../../../components/ui.tsx";
import { fromMinor } from "../../../commerce/money.ts";
import type { ShoppingOptions } from "../../../kv/catalog.ts";
import type { FieldErrors } from "./forms.ts";
import { described, Field } from "./product_form.tsx";

export type OptionsValues = Record<
  | "shipping_methods"
  | "tax_rates"
  | "allowed_customer_countries"
  | "customer_required_fields"
  | "customer_optional_fields",
  string
>;

export function optionsValues(options: ShoppingOptions): OptionsValues {
  return {
    shipping_methods: options.shipping_methods.map((m) =>
      `${m.method_id}, ${m.name}, ${fromMinor(m.price, m.currency)}, ${m.currency}`
    ).join("\n"),
    tax_rates: options.tax_rates.map((t) => `${t.country} ${t.rate}`).join("\n"),
    allowed_customer_countries: options.allowed_customer_countries.join(", "),
    customer_required_fields: options.customer_required_fields.join(", "),
    customer_optional_fields: options.customer_optional_fields.join(", "),
  };
}

export function typedOptions(form: FormData): OptionsValues {
  const get = (name: string) => String(form.get(name) ?? "");
  return {
    shipping_methods: get("shipping_methods"),
    tax_rates: get("tax_rates"),
    allowed_customer_countries: get("allowed_customer_countries"),
    customer_required_fields: get("customer_required_fields"),
    customer_optional_fields: get("customer_optional_fields"),
  };
}

const FIELDS: { name: keyof OptionsValues; label: string; hint: string; rows: number }[] = [
  {
    name: "shipping_methods",
    label: "Flat-rate shipping",
    hint: "One per line: id, name, price, currency — e.g. standard, Standard, 5, USD",
    rows: 3,
  },
  {
    name: "tax_rates",
    label: "Tax rates by country",
    hint: "One per line: country and percent — e.g. US 8.25",
    rows: 3,
  },
  {
    name: "allowed_customer_countries",
    label: "Countries you sell to",
    hint: "ISO codes separated by commas — e.g. US, CA, GB",
    rows: 3,
  },
  {
    name: "customer_required_fields",
    label: "Customer fields required",
    hint: "e.g. name, email, billing_address.country",
    rows: 2,
  },
  {
    name: "customer_optional_fields",
    label: "Customer fields asked, optional",
    hint: "e.g. billing_address.postal_code",
    rows: 2,
  },
];

export function OptionsForm(
  { values, errors, csrf, canEdit }: {
    values: OptionsValues;
    errors: FieldErrors;
    csrf: string;
    canEdit: boolean;
  },
) {
  if (!canEdit) {
    return (
      <dl class="app-meta" id="options">
        {FIELDS.map((f) => (
          <div key={f.name}>
            <dt>{f.label}</dt>
            <dd class="pre-line">{values[f.name] || "none"}</dd>
          </div>
        ))}
      </dl>
    );
  }
  return (
    <form method="post" action="/catalog" id="options" noValidate>
      <CsrfField token={csrf} />
      <input type="hidden" name="_action" value="options" />
      <div class="form-grid">
        {FIELDS.map((f) => (
          <Field
            key={f.name}
            id={`opt-${f.name}`}
            label={f.label}
            hint={f.hint}
            error={errors[f.name]}
          >
            <textarea {...described(`opt-${f.name}`, errors, f.name, true)} rows={f.rows}>
              {values[f.name]}
            </textarea>
          </Field>
        ))}
      </div>
      <p>
        <button type="submit" class="button primary">Save the shopping options</button>
      </p>
    </form>
  );
}
