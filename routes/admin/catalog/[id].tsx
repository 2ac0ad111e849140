/**
 * `/catalog/:id`: one product, to change or delete, through the same `kv/catalog.ts` functions
 * as `PATCH` and `DELETE /api/v1/products/{id}`. Only a manager gets the forms; the server
 * refuses anyone else's post.
 */
import { Card, CsrfField } from "../../../components/ui.tsx";
import { formatMoney } from "../../../commerce/money.ts";
import { adminAuditBy } from "../audit_by.ts";
import { deleteProduct, getProduct, type Product, updateProduct } from "../../../kv/catalog.ts";
import { ConflictError } from "../../../lib/errors.ts";
import { type AuthedContext, definePage } from "../context.ts";
import { type FieldErrors, fieldErrorsOf, readProduct } from "./forms.ts";
import { ProductForm, type ProductValues, typedValues, valuesOf } from "./product_form.tsx";

function view(
  ctx: AuthedContext,
  product: Product,
  shown?: { values: ProductValues; errors: FieldErrors },
  status: 200 | 409 | 422 = 200,
) {
  const canEdit = ctx.can("manage");
  return {
    title: product.name,
    status,
    body: (
      <>
        <nav class="crumbs" aria-label="Breadcrumb">
          <a href="/catalog">Catalog</a> <span aria-hidden="true">/</span> {product.product_id}
        </nav>
        <Card title={canEdit ? "Edit the product" : "Product"}>
          {canEdit
            ? (
              <ProductForm
                values={shown?.values ?? valuesOf(product)}
                errors={shown?.errors ?? {}}
                csrf={ctx.user.csrf}
                creating={false}
                action={`/catalog/${product.product_id}`}
              />
            )
            : (
              <p>
                {formatMoney(product.price, product.currency, ctx.locale)} · {product.type} ·{" "}
                {product.active ? "active" : "inactive"}
              </p>
            )}
        </Card>
        {canEdit && <DeleteCard ctx={ctx} product={product} />}
      </>
    ),
  };
}

/** Deleting asks first, without script: the button opens the confirmation as its own view. */
function DeleteCard({ ctx, product }: { ctx: AuthedContext; product: Product }) {
  const asking = ctx.url.searchParams.get("confirm") === "delete";
  return (
    <Card title="Delete the product">
      <p class="muted">
        Open carts holding it can no longer be paid; orders keep their lines.
      </p>
      {asking
        ? (
          <form method="post" action={`/catalog/${product.product_id}`} class="row">
            <CsrfField token={ctx.user.csrf} />
            <input type="hidden" name="_action" value="delete" />
            <button type="submit" class="button danger">Yes, delete {product.name}</button>
            <a class="button ghost" href={`/catalog/${product.product_id}`}>Keep it</a>
          </form>
        )
        : (
          <a class="button danger" href={`/catalog/${product.product_id}?confirm=delete`}>
            Delete {product.name}…
          </a>
        )}
    </Card>
  );
}

export default definePage({
  postNeeds: { permission: "manage", refusal: () => "Your role cannot change the catalog" },
  async GET(ctx) {
    return view(ctx, await getProduct(ctx.kv, ctx.user.account.id, ctx.params.id));
  },
  async POST(ctx, form) {
    const accountId = ctx.user.account.id;
    const product = await getProduct(ctx.kv, accountId, ctx.params.id);
    if (form.get("_action") === "delete") {
      await deleteProduct(ctx.kv, accountId, product.product_id, adminAuditBy(ctx));
      return ctx.c.redirect("/catalog", 303);
    }
    // The id is the URL's: the form has no id field, and the schema's default would be empty.
    form.set("product_id", product.product_id);
    const { input, errors } = readProduct(form);
    const values = typedValues(form);
    if (!input) return view(ctx, product, { values, errors }, 422);
    const { product_id: _, ...change } = input;
    try {
      await updateProduct(
        ctx.kv,
        accountId,
        product.product_id,
        {
          ...change,
          images: product.images,
        },
        ctx.now,
        adminAuditBy(ctx),
      );
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      return view(ctx, product, { values, errors: fieldErrorsOf(error, "form") }, 409);
    }
    return ctx.c.redirect("/catalog", 303);
  },
});
