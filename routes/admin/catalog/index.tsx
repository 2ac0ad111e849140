/**
 * `/catalog`: the account's products and the shopping options every cart offers, through the
 * same `kv/catalog.ts` functions as `/api/v1/products` and `/api/v1/shopping_options`. Forms are
 * plain posts (no JavaScript); an analyst sees the catalog without its forms, and the server
 * refuses their posts anyway.
 */
import { Card } from "../../../components/ui.tsx";
import { formatMoney } from "../../../commerce/money.ts";
import { getAccount } from "../../../kv/accounts.ts";
import { adminAuditBy } from "../audit_by.ts";
import {
  createProduct,
  getShoppingOptions,
  listProducts,
  type Product,
  setShoppingOptions,
} from "../../../kv/catalog.ts";
import { defaultCurrency } from "../../../kv/currencies.ts";
import { newId } from "../../../kv/ids.ts";
import { ConflictError } from "../../../lib/errors.ts";
import { type AuthedContext, definePage } from "../context.ts";
import { type FieldErrors, fieldErrorsOf, readOptions, readProduct } from "./forms.ts";
import { OptionsForm, type OptionsValues, optionsValues, typedOptions } from "./options_form.tsx";
import { ProductForm, type ProductValues, typedValues } from "./product_form.tsx";

const PAGE_SIZE = 100;

interface Shown {
  product?: { values: ProductValues; errors: FieldErrors };
  options?: { values: OptionsValues; errors: FieldErrors };
}

function ProductTable({ products, locale, canEdit }: {
  products: Product[];
  locale: string;
  canEdit: boolean;
}) {
  return (
    <div class="table-wrap">
      <table class="rows">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" class="hide-narrow">Id</th>
            <th scope="col" class="num">Price</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {products.map((p) => (
            <tr key={p.product_id}>
              <th scope="row">
                {canEdit ? <a href={`/catalog/${p.product_id}`}>{p.name}</a> : p.name}
              </th>
              <td>
                <code>{p.product_id}</code>
              </td>
              <td class="num">{formatMoney(p.price, p.currency, locale)}</td>
              <td>{p.type}</td>
              <td>
                {p.active
                  ? <span class="badge live">active</span>
                  : <span class="badge">inactive</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

async function view(ctx: AuthedContext, shown: Shown = {}, status: 200 | 409 | 422 = 200) {
  const accountId = ctx.user.account.id;
  const [page, options, account] = await Promise.all([
    listProducts(ctx.kv, accountId, {
      limit: PAGE_SIZE,
      cursor: ctx.url.searchParams.get("cursor"),
    }),
    getShoppingOptions(ctx.kv, accountId),
    getAccount(ctx.kv, accountId),
  ]);
  const canEdit = ctx.can("manage");
  const currency = defaultCurrency(account);
  const blank: ProductValues = {
    product_id: "",
    name: "",
    headline: "",
    description: "",
    price: "",
    currency,
    type: "physical",
    active: true,
  };
  return {
    title: "Catalog",
    status,
    body: (
      <>
        <Card title="Products">
          {page.items.length === 0
            ? (
              <p class="muted">
                No products yet. {canEdit
                  ? "Add the first one below: shoppers see active products in every app of this account."
                  : "A manager of this account adds them here or through the API."}
              </p>
            )
            : <ProductTable products={page.items} locale={ctx.locale} canEdit={canEdit} />}
          {page.next_cursor && (
            <p>
              <a href={`/catalog?cursor=${encodeURIComponent(page.next_cursor)}`}>More products</a>
            </p>
          )}
        </Card>
        {canEdit && (
          <Card title="Add a product">
            <ProductForm
              values={shown.product?.values ?? blank}
              errors={shown.product?.errors ?? {}}
              csrf={ctx.user.csrf}
              creating
              action="/catalog"
            />
          </Card>
        )}
        <Card title="Shopping options">
          <OptionsForm
            values={shown.options?.values ?? optionsValues(options)}
            errors={shown.options?.errors ?? {}}
            csrf={ctx.user.csrf}
            canEdit={canEdit}
          />
        </Card>
      </>
    ),
  };
}

export default definePage({
  postNeeds: { permission: "manage", refusal: () => "Your role cannot change the catalog" },
  GET: (ctx) => view(ctx),
  async POST(ctx, form) {
    const accountId = ctx.user.account.id;
    if (form.get("_action") === "options") {
      const { change, errors } = readOptions(form);
      if (!change) return view(ctx, { options: { values: typedOptions(form), errors } }, 422);
      await setShoppingOptions(ctx.kv, accountId, change, adminAuditBy(ctx));
      return ctx.c.redirect("/catalog#options", 303);
    }
    const { input, errors } = readProduct(form);
    const values = typedValues(form);
    if (!input) return view(ctx, { product: { values, errors } }, 422);
    try {
      await createProduct(
        ctx.kv,
        accountId,
        { ...input, product_id: input.product_id || newId() },
        ctx.now,
        adminAuditBy(ctx),
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return view(ctx, { product: { values, errors: fieldErrorsOf(error, "product_id") } }, 409);
    }
    return ctx.c.redirect("/catalog", 303);
  },
});
