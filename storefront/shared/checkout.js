// Checkout and receipt: the customer fields the store asks for (the cart's `options`), a card,
// then the cart updated and paid as Comecero's cart does it (POST /carts/{id}, then
// POST /carts/{id}/payments), and the order shown with its id.

import { api } from "./api.js";

const $ = (selector) => document.querySelector(selector);
const esc = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The customer fields this form knows: label, input type, autocomplete token. */
const FIELDS = {
  name: ["Full name", "text", "name"],
  email: ["Email", "email", "email"],
  phone: ["Phone", "tel", "tel"],
  company_name: ["Company", "text", "organization"],
  "billing_address.address_1": ["Address", "text", "address-line1"],
  "billing_address.address_2": ["Apartment, suite", "text", "address-line2"],
  "billing_address.city": ["City", "text", "address-level2"],
  "billing_address.state_prov": ["State or province", "text", "address-level1"],
  "billing_address.postal_code": ["Postal code", "text", "postal-code"],
  "billing_address.country": ["Country", "select", "country"],
};

let cart = null;
let onPaid = () => {};
let imageOf = () => "";
/** Kept while a payment's answer is unknown (network error), so a retry cannot charge twice. */
let idempotencyKey = null;

const valueAt = (object, path) => path.split(".").reduce((o, key) => o?.[key], object);

function countryOptions(allowed, selected) {
  const names = new Intl.DisplayNames(undefined, { type: "region" });
  const label = (code) => {
    try {
      return names.of(code) ?? code;
    } catch {
      return code;
    }
  };
  return [
    `<option value="">Choose…</option>`,
    ...allowed
      .map((code) => [code, label(code)])
      .sort((a, b) => a[1].localeCompare(b[1]))
      .map(([code, name]) =>
        `<option value="${esc(code)}"${code === selected ? " selected" : ""}>${esc(name)}</option>`
      ),
  ].join("");
}

function fieldHtml(path, required, options) {
  const [label, type, autocomplete] = FIELDS[path];
  const id = `f-${path.replace(".", "-")}`;
  const value = valueAt(cart.customer, path) ??
    (path === "billing_address.country" ? cart.customer_ip_country : "") ?? "";
  const attrs = `id="${id}" name="${esc(path)}" autocomplete="${autocomplete}"${
    required ? " required" : ""
  }`;
  const allowed = options.allowed_customer_countries ?? [];
  const input = type === "select" && allowed.length
    ? `<select ${attrs}>${countryOptions(allowed, value)}</select>`
    : `<input ${attrs} type="${type === "select" ? "text" : type}" value="${esc(value)}"${
      type === "select" ? ' maxlength="2" placeholder="US"' : ""
    }>`;
  const wide = ["name", "email", "billing_address.address_1"].includes(path) ? " wide" : "";
  return `<label class="field${wide}"><span>${label}${required ? "" : " (optional)"}</span>
    ${input}</label>`;
}

function renderFields() {
  const options = cart.options ?? {};
  const required = new Set(["name", "email", ...(options.customer_required_fields ?? [])]);
  const optional = new Set(options.customer_optional_fields ?? []);
  $("#customer-fields").innerHTML = Object.keys(FIELDS)
    .filter((path) => required.has(path) || optional.has(path))
    .map((path) => fieldHtml(path, required.has(path), options))
    .join("");
  const quotes = options.shipping_quotes ?? [];
  $("#shipping-fieldset").hidden = quotes.length < 2;
  $("#shipping-options").innerHTML = quotes.map((quote, i) => {
    const chosen = cart.shipping_item?.item_id ?? quotes[0].method_id;
    const price = quote.formatted?.price ?? "";
    return `<label class="choice"><input type="radio" name="shipping" value="${
      esc(quote.method_id)
    }"${quote.method_id === chosen || (!chosen && i === 0) ? " checked" : ""}>
      <span>${esc(quote.description ?? quote.method_id)}</span> <span>${esc(price)}</span></label>`;
  }).join("");
}

/** Subtotal, shipping and tax when there are any, and the total, of a cart or an order. */
function totalsHtml(sale) {
  const f = sale.formatted ?? {};
  const count = (sale.items ?? []).reduce((sum, item) => sum + Number(item.quantity), 0);
  const rows = [[`Subtotal (${count} ${count === 1 ? "item" : "items"})`, f.subtotal]];
  if (sale.shipping_item || sale.shipping > 0) {
    rows.push([sale.shipping_item?.name ?? "Shipping", f.shipping]);
  }
  if (sale.discount > 0) rows.push(["Discount", `−${f.discount}`]);
  if (sale.tax > 0) rows.push(["Tax", f.tax]);
  rows.push(["Total", `${f.total ?? ""} ${sale.currency ?? ""}`.trim()]);
  return rows.map(([label, value]) => `<dt>${esc(label)}</dt><dd>${esc(value ?? "")}</dd>`)
    .join("");
}

function showTotals() {
  $("#checkout-summary").innerHTML = totalsHtml(cart);
  $("#pay").textContent = `Pay ${cart.formatted?.total ?? ""}`.trim();
}

/** Sends the form's customer and shipping choice; the answer's totals are what will be paid. */
async function saveCustomer() {
  const body = { customer: readCustomer() };
  const shipping = $("#shipping-options input:checked");
  if (shipping) body.shipping_method_id = shipping.value;
  const id = encodeURIComponent(cart.cart_id);
  cart = await api("POST", `/carts/${id}?formatted=true&options=true`, body);
  showTotals();
}

/** Opens the checkout for `current` (the cart as the API last answered it). */
export function openCheckout(current) {
  cart = current;
  showTotals();
  renderFields();
  showError("");
  $("#checkout-form").hidden = false;
  $("#receipt").hidden = true;
  $("#checkout-title").hidden = false;
  $("#checkout-dialog").setAttribute("aria-labelledby", "checkout-title");
  $("#checkout-dialog").showModal();
}

function showError(message) {
  $("#checkout-error").textContent = message;
  $("#checkout-error").hidden = !message;
}

/** Luhn's checksum, so a mistyped number is caught before it is sent. */
function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** The card as Comecero's API takes it (strings as typed, spaces removed), or an error text. */
function readCard() {
  const number = $("#card-number").value.replace(/[\s-]/g, "");
  if (!/^\d{14,19}$/.test(number) || !luhn(number)) return "Please check the card number.";
  const expiry = /^(\d{1,2})\s*\/?\s*(\d{2}|\d{4})$/.exec($("#card-expiry").value.trim());
  if (!expiry || Number(expiry[1]) < 1 || Number(expiry[1]) > 12) {
    return "Please enter the expiry date as MM / YY.";
  }
  const cvv = $("#card-cvc").value.trim();
  if (!/^\d{3,4}$/.test(cvv)) return "Please enter the 3 or 4 digit CVC.";
  return { number, exp_month: expiry[1], exp_year: expiry[2], cvv };
}

function readCustomer() {
  const customer = { billing_address: {} };
  for (const el of $("#customer-fields").querySelectorAll("input, select")) {
    const value = el.value.trim() || null;
    if (el.name.startsWith("billing_address.")) {
      customer.billing_address[el.name.slice(16)] = value;
    } else customer[el.name] = value;
  }
  customer.billing_address.name = customer.name;
  return customer;
}

/** 128 random bits; `crypto.randomUUID` needs a secure context, and a store may be on http. */
function newKey() {
  return [...crypto.getRandomValues(new Uint8Array(16))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function pay(card) {
  const shown = cart.total;
  await saveCustomer();
  if (cart.total !== shown) {
    // A country's tax or a shipping method moved the total: the shopper pays what they saw.
    throw new Error(`The total is now ${cart.formatted?.total}: please check it and pay again.`);
  }
  const id = encodeURIComponent(cart.cart_id);
  idempotencyKey ??= newKey();
  const query = "?expand=order,response_data,payment_method&formatted=true&hide=";
  const headers = { "idempotency-key": idempotencyKey };
  try {
    const payment = await api("POST", `/carts/${id}/payments${query}`, {
      payment_method: { type: "credit_card", data: card },
    }, headers);
    idempotencyKey = null;
    return payment;
  } catch (error) {
    // An answer (a decline) settles this key; no answer at all keeps it for the retry.
    if (error.status !== undefined) idempotencyKey = null;
    throw error;
  }
}

async function onSubmit(event) {
  event.preventDefault();
  const form = event.target;
  showError("");
  if (!form.checkValidity()) {
    const invalid = form.querySelector(":invalid");
    showError(`Please fill in ${invalid.closest("label")?.querySelector("span")?.textContent}.`);
    return invalid.focus();
  }
  const card = readCard();
  if (typeof card === "string") return showError(card);
  $("#pay").disabled = true;
  $("#pay").textContent = "Paying…";
  try {
    let payment = await pay(card);
    if (!payment.order) {
      const query = "?expand=order,payment_method&formatted=true";
      payment = await api("GET", `/payments/${encodeURIComponent(payment.payment_id)}${query}`);
    }
    showReceipt(payment);
    onPaid();
  } catch (error) {
    showError(error.message);
    if (error.code === "invalid_state") onPaid(); // already paid or closed: this cart is done
  } finally {
    $("#pay").disabled = false;
    showTotals();
  }
}

function showReceipt(payment) {
  const order = payment.order ?? {};
  const card = payment.payment_method?.data ?? {};
  $("#order-id").textContent = order.order_id ?? "";
  $("#order-card").textContent = card.mask
    ? `${card.type ?? "Card"} ending ${String(card.mask).slice(-4)}`
    : "Card";
  $("#order-lines").innerHTML = (order.items ?? []).map((item) =>
    `<li><img src="${esc(imageOf(item.product_id))}" alt="" width="48" height="36">
      <span>${esc(item.name)} × ${esc(item.quantity)}</span>
      <span>${esc(item.formatted?.subtotal ?? item.formatted?.total ?? "")}</span></li>`
  ).join("");
  $("#order-totals").innerHTML = totalsHtml(order);
  $("#checkout-form").hidden = true;
  $("#checkout-title").hidden = true;
  $("#checkout-form").reset();
  $("#receipt").hidden = false;
  $("#checkout-dialog").setAttribute("aria-labelledby", "receipt-title");
  $("#receipt").focus();
}

/** Wires the form; `hooks.onPaid` runs once an order is made (the cart is then closed). */
export function setupCheckout(hooks) {
  onPaid = hooks.onPaid;
  imageOf = hooks.imageOf;
  $("#checkout-form").addEventListener("submit", onSubmit);
  // A country (its tax) or a shipping method can change the total: show it before paying.
  $("#checkout-form").addEventListener("change", (event) => {
    if (event.target.name !== "billing_address.country" && event.target.name !== "shipping") return;
    saveCustomer().catch((error) => showError(error.message));
  });
  $("#card-number").addEventListener("input", (event) => {
    const digits = event.target.value.replace(/\D/g, "").slice(0, 19);
    event.target.value = digits.replace(/(\d{4})(?=\d)/g, "$1 ");
  });
}
