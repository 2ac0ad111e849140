/**
 * What the shopper API reads from a body, and nothing more: zod objects drop unknown keys, so an
 * echoed cart's read-only fields (totals, `url`, `formatted`, items' prices) and the junk keys of
 * Comecero's background save (`"billing_address.city"`, `"undefined"`) are ignored, never refused
 * (COMECERO-API.md §5.4). Quantities come as numbers or numeric strings.
 */
import { z } from "zod";

const Text = z.string().trim().max(500).nullable().optional();

export const AddressInput = z.object({
  name: Text,
  address_1: Text,
  address_2: Text,
  city: Text,
  state_prov: Text,
  postal_code: Text,
  country: z.string().trim().toUpperCase().regex(/^([A-Z]{2})?$/, "An ISO 3166 country code")
    .nullable().optional(),
}).nullable().optional();

export const CustomerInput = z.object({
  name: Text,
  email: Text,
  company_name: Text,
  phone: Text,
  tax_number: Text,
  billing_address: AddressInput,
  shipping_address: AddressInput,
}).nullable().optional();

/** The most of one product a cart line holds, sent at once or added up over several adds. */
export const MAX_QUANTITY = 9999;
/** The most lines (distinct products) a cart holds. */
export const MAX_LINES = 100;

export const Quantity = z.union([
  z.number().int().min(0).max(MAX_QUANTITY),
  z.string().trim().regex(/^\d{1,4}$/, "A whole number").transform(Number),
]);

export const ProductId = z.string().trim().min(1).max(64);

export const ItemInput = z.object({
  product_id: ProductId.optional(),
  item_id: ProductId.optional(),
  quantity: Quantity.optional(),
}).refine((item) => item.product_id ?? item.item_id, { message: "product_id is required" });

export const CartInput = z.object({
  items: z.array(ItemInput).max(MAX_LINES).optional(),
  customer: CustomerInput,
  currency: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, "An ISO 4217 code").nullable()
    .optional(),
  shipping_method_id: z.string().max(64).nullable().optional(),
  promotion_code: z.string().max(100).nullable().optional(),
  meta: z.record(z.string(), z.unknown()).nullable().optional(),
  referrer: z.string().max(2000).nullable().optional(),
});
export type CartInput = z.infer<typeof CartInput>;

export const PaymentInput = z.object({
  payment_method: z.object({
    type: z.string().max(40).optional(),
    payment_method_id: z.string().max(64).optional(),
    data: z.object({
      number: z.string().max(40),
      exp_month: z.union([z.string().max(4), z.number().int()]).transform(String),
      exp_year: z.union([z.string().max(4), z.number().int()]).transform(String),
      cvv: z.string().max(4).optional(),
      name: z.string().max(200).optional(),
    }).optional(),
    save: z.boolean().optional(),
  }),
});
