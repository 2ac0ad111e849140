/**
 * The customer fields a payment needs, as the account's shopping options list them
 * (`customer_required_fields`: `name`, `email`, `billing_address.country`…), and the countries
 * it sells to. Checked when the cart is paid, not while it is filled in field by field.
 */
import type { Customer } from "../../kv/carts.ts";
import type { ShoppingOptions } from "../../kv/catalog.ts";
import { ValidationError } from "../../lib/errors.ts";

/** A field named as Comecero names it, read from the customer. */
function fieldOf(customer: Customer, name: string): unknown {
  let value: unknown = customer;
  for (const part of name.split(".")) {
    value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : null;
  }
  return value;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkCustomer(customer: Customer, options: ShoppingOptions): void {
  const missing = options.customer_required_fields
    // Comecero's client removes the shipping address before paying: shipping follows billing.
    .filter((name) => !name.startsWith("shipping_address."))
    .filter((name) => {
      const value = fieldOf(customer, name);
      return value === null || value === undefined || value === "";
    });
  if (missing.length > 0) {
    throw new ValidationError(
      `Fill in the required fields: ${missing.map((name) => `"${name}"`).join(", ")}`,
      { fields: missing.map((field) => ({ field: `customer.${field}`, message: "required" })) },
      "invalid_input",
    );
  }
  if (customer.email && !EMAIL.test(customer.email)) {
    throw new ValidationError(`The email address is not valid: "${customer.email}"`, {
      fields: [{ field: "customer.email", message: "not an email address" }],
    }, "invalid_input");
  }
  const country = customer.billing_address.country;
  const allowed = options.allowed_customer_countries;
  if (country && allowed.length > 0 && !allowed.includes(country)) {
    throw new ValidationError(`We do not sell to this country: "${country}"`, {
      fields: [{ field: "customer.billing_address.country", message: "not sold to" }],
    }, "invalid_input");
  }
}
