/** The product form (create on `/catalog`, edit on `/catalog/:id`), each problem beside its field. */
import type { ComponentChildren } from "preact";
import { CsrfField } from "../../../components/ui.tsx";
import { fromMinor, minorDigits } from "../../../commerce/money.ts";
import { PRODUCT_TYPES, type ProductInput } from "../../../kv/catalog.ts";
import type { FieldErrors } from "./forms.ts";

/** What the form shows: a product's values, or what was typed when the server refused it. */
export type ProductValues =
  & Record<
    "product_id" | "name" | "headline" | "description" | "price" | "currency" | "type",
    string
  >
  & { active: boolean };

export function valuesOf(product: ProductInput): ProductValues {
  return {
    product_id: product.product_id,
    name: product.name,
    headline: product.headline ?? "",
    description: product.description ?? "",
    price: fromMinor(product.price, product.currency).toFixed(minorDigits(product.currency)),
    currency: product.currency,
    type: product.type,
    active: product.active,
  };
}

export function typedValues(form: FormData): ProductValues {
  const get = (name: string) => String(form.get(name) ?? "");
  return {
    product_id: get("product_id"),
    name: get("name"),
    headline: get("headline"),
    description: get("description"),
    price: get("price"),
    currency: get("currency"),
    type: get("type"),
    active: form.get("active") === "on",
  };
}

/** A labelled control with its hint and the server's complaint, tied by aria-describedby. */
export function Field(
  { id, label, error, hint, wide, children }: {
    id: string;
    label: string;
    error?: string;
    hint?: string;
    wide?: boolean;
    children: ComponentChildren;
  },
) {
  return (
    <div class={wide ? "field wide-field" : "field"}>
      <label for={id}>{label}</label>
      {children}
      {hint && <span class="hint" id={`${id}-hint`}>{hint}</span>}
      {error && <p class="error-text" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

/** aria attributes of a control: invalid with its error, else described by its hint. */
export function described(id: string, errors: FieldErrors, name: string, hint = false) {
  const ids = [hint ? `${id}-hint` : "", errors[name] ? `${id}-error` : ""].filter(Boolean);
  return {
    id,
    name,
    "aria-invalid": errors[name] ? "true" as const : undefined,
    "aria-describedby": ids.length ? ids.join(" ") : undefined,
  };
}

export function ProductForm(
  { values, errors, csrf, creating, action }: {
    values: ProductValues;
    errors: FieldErrors;
    csrf: string;
    creating: boolean;
    action: string;
  },
) {
  const p = creating ? "new" : "edit";
  return (
    <form method="post" action={action} class="product-form" noValidate>
      <CsrfField token={csrf} />
      <input type="hidden" name="_action" value={creating ? "create" : "update"} />
      <div class="form-grid">
        <Field id={`${p}-name`} label="Name" error={errors.name}>
          <input {...described(`${p}-name`, errors, "name")} value={values.name} required />
        </Field>
        {creating && (
          <Field
            id={`${p}-id`}
            label="Product id (optional)"
            error={errors.product_id}
            hint="Letters, digits, _ and -; made for you if left empty"
          >
            <input
              {...described(`${p}-id`, errors, "product_id", true)}
              value={values.product_id}
            />
          </Field>
        )}
        <Field id={`${p}-price`} label="Price" error={errors.price}>
          <input
            {...described(`${p}-price`, errors, "price")}
            value={values.price}
            inputMode="decimal"
            required
          />
        </Field>
        <Field
          id={`${p}-currency`}
          label="Currency"
          error={errors.currency}
          hint="ISO 4217, e.g. USD"
        >
          <input
            {...described(`${p}-currency`, errors, "currency", true)}
            value={values.currency}
            maxLength={3}
            required
          />
        </Field>
        <Field id={`${p}-type`} label="Type" error={errors.type}>
          <select {...described(`${p}-type`, errors, "type")}>
            {PRODUCT_TYPES.map((type) => (
              <option key={type} value={type} selected={type === values.type}>{type}</option>
            ))}
          </select>
        </Field>
        <Field id={`${p}-headline`} label="Headline (optional)" error={errors.headline} wide>
          <input {...described(`${p}-headline`, errors, "headline")} value={values.headline} />
        </Field>
        <Field
          id={`${p}-description`}
          label="Description (optional)"
          error={errors.description}
          wide
        >
          <textarea {...described(`${p}-description`, errors, "description")} rows={3}>
            {values.description}
          </textarea>
        </Field>
      </div>
      <label class="checkbox">
        <input type="checkbox" name="active" checked={values.active} /> Shoppers can buy it
      </label>
      {errors.form && <p class="error-text" role="alert">{errors.form}</p>}
      <p>
        <button type="submit" class="button primary">
          {creating ? "Add the product" : "Save changes"}
        </button>
      </p>
    </form>
  );
}
